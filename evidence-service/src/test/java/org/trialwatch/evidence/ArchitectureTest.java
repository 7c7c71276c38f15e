package org.trialwatch.evidence;

import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.architecture.ServiceArchitecture;

/** The package map of ADR 0008: no other service imported, a plain-Java domain, no cycles between the packages. */
class ArchitectureTest {

    @Test
    void followsThePackageMap() {
        ServiceArchitecture.verify("org.trialwatch.evidence");
    }
}
