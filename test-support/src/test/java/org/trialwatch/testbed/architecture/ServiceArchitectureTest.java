package org.trialwatch.testbed.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules themselves: a service laid out by the map passes, and each kind of breach is reported. */
class ServiceArchitectureTest {

    private static final String GOOD = "org.trialwatch.testbed.architecture.fixture.good";
    private static final String BAD = "org.trialwatch.testbed.architecture.fixture.bad";

    @Test
    void aServiceOnTheMapPasses() {
        assertEquals(List.of(), ServiceArchitecture.violations(GOOD, new ClassFileImporter().importPackages(GOOD)));
    }

    @Test
    void eachBreachIsReportedWithTheClassesInvolved() {
        List<String> failures = ServiceArchitecture.violations(BAD, new ClassFileImporter().importPackages(BAD));

        assertEquals(3, failures.size(), String.join("\n", failures));
        String report = String.join("\n", failures);
        assertTrue(report.contains("OtherServiceThing"), report);
        assertTrue(report.contains("SqlRule") && report.contains("java.sql.Connection"), report);
        assertTrue(report.contains("Cycle"), report);
    }
}
