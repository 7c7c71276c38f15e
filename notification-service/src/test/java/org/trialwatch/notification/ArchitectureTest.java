package org.trialwatch.notification;

import org.junit.jupiter.api.Test;

import org.trialwatch.testbed.architecture.ServiceArchitecture;

/** The package map (ADR 0008): no other service imported, a plain domain, no cycles between the top-level packages. */
class ArchitectureTest {

    @Test
    void followsThePackageMap() {
        ServiceArchitecture.verify("org.trialwatch.notification");
    }
}
