package org.trialwatch.registry;

import org.junit.jupiter.api.Test;
import org.trialwatch.testbed.architecture.ServiceArchitecture;

/** The package map (ADR 0008): no other service imported, a plain-Java domain, no cycles between top-level packages. */
class ArchitectureTest {

    @Test
    void registryFollowsThePackageMap() {
        ServiceArchitecture.verify("org.trialwatch.registry");
    }
}
