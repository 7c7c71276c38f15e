package org.trialwatch.testbed.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The house rules of issue 14 and ADR 0008 (the package map), checked on a service's main classes:
 * <ul>
 *   <li>a service never imports another service: only {@code trial-events} ({@code org.trialwatch.events}),
 *       {@code service-support} ({@code org.trialwatch.support}) and, in tests, {@code test-support} are shared;</li>
 *   <li>its {@code domain} is plain Java: the JDK (without {@code java.sql}), the event contract and itself;</li>
 *   <li>its top-level packages ({@code domain}, {@code application}, {@code rest}, {@code messaging},
 *       {@code persistence}, {@code config}, one adapter per external system) have no cycles.</li>
 * </ul>
 * Each service's {@code ArchitectureTest} calls {@link #verify(String)} with its root package.
 */
public final class ServiceArchitecture {

    /** Packages below {@code org.trialwatch} that any service may use. */
    static final Set<String> SHARED = Set.of("org.trialwatch.events", "org.trialwatch.support");

    private ServiceArchitecture() {
    }

    /** Imports the main classes of {@code servicePackage} (e.g. {@code org.trialwatch.registry}) and checks every rule. */
    public static void verify(String servicePackage) {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(servicePackage);
        List<String> failures = violations(servicePackage, main);
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n\n", failures));
        }
    }

    /** Every rule's failure report for these classes; empty when the service follows the map. */
    static List<String> violations(String servicePackage, JavaClasses imported) {
        List<String> failures = new ArrayList<>();
        for (ArchRule rule : rules(servicePackage)) {
            EvaluationResult result = rule.evaluate(imported);
            if (result.hasViolation()) {
                failures.add(result.getFailureReport().toString());
            }
        }
        return failures;
    }

    static List<ArchRule> rules(String servicePackage) {
        return List.of(noOtherService(servicePackage), plainDomain(servicePackage), noCycles(servicePackage));
    }

    static ArchRule noOtherService(String servicePackage) {
        DescribedPredicate<JavaClass> anotherService = DescribedPredicate.describe(
                "belong to another TrialWatch service",
                c -> isTrialWatch(c.getPackageName()) && !within(c.getPackageName(), servicePackage)
                        && SHARED.stream().noneMatch(shared -> within(c.getPackageName(), shared)));
        return noClasses().that().resideInAPackage(servicePackage + "..")
                .should().dependOnClassesThat(anotherService)
                .because("services talk only through Kafka and REST; shared code lives in trial-events and "
                        + "service-support");
    }

    static ArchRule plainDomain(String servicePackage) {
        String domain = servicePackage + ".domain";
        DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe(
                "are the JDK (not java.sql), the event contract or the domain itself",
                c -> {
                    String p = c.getPackageName();
                    if (c.isPrimitive() || p.isEmpty()) {
                        return true;
                    }
                    if (within(p, "java.sql")) {
                        return false;
                    }
                    return within(p, "java") || within(p, "org.trialwatch.events") || within(p, domain);
                });
        return classes().that().resideInAPackage(domain + "..")
                .should().onlyDependOnClassesThat(allowed)
                .because("the domain is plain Java with fast unit tests; frameworks stay at the edges (ADR 0008)");
    }

    static ArchRule noCycles(String servicePackage) {
        return slices().matching(servicePackage + ".(*)..").should().beFreeOfCycles()
                .because("a change can be followed one way, from rest or messaging through application to "
                        + "persistence (ADR 0008)");
    }

    private static boolean isTrialWatch(String packageName) {
        return within(packageName, "org.trialwatch");
    }

    private static boolean within(String packageName, String root) {
        return packageName.equals(root) || packageName.startsWith(root + ".");
    }
}
