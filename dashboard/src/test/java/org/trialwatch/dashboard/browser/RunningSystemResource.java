package org.trialwatch.dashboard.browser;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import org.trialwatch.testbed.RunningSystem;
import org.trialwatch.testbed.RunningSystem.Service;

/**
 * Runs the three packaged services as separate processes (real broker, real PostgreSQL) and points the dashboard
 * under test at them, as {@code TRIALWATCH_*_URL} would in a deployment.
 */
public class RunningSystemResource implements QuarkusTestResourceLifecycleManager {

    private static RunningSystem system;

    static RunningSystem system() {
        return system;
    }

    @Override
    public Map<String, String> start() {
        try {
            // the subscription test creates a webhook to a receiver on this machine
            system = RunningSystem.start(Map.of(Service.NOTIFICATION,
                    Map.of("TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1")));
        } catch (Exception e) {
            throw new IllegalStateException("could not start the services for the browser tests", e);
        }
        return Map.of("trialwatch.registry.url", system.url(Service.REGISTRY),
                "trialwatch.evidence.url", system.url(Service.EVIDENCE),
                "trialwatch.notification.url", system.url(Service.NOTIFICATION));
    }

    @Override
    public void stop() {
        if (system != null) {
            system.close();
        }
    }
}
