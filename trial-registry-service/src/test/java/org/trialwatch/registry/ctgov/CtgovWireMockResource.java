package org.trialwatch.registry.ctgov;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server standing in for ClinicalTrials.gov. It starts with no stubs; tests stub the recorded responses
 * they need. Every @QuarkusTest class of the module declares it, so the application boots once with the sync on.
 */
public class CtgovWireMockResource implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(16));
        server.start();
        return Map.of("trialwatch.ctgov.base-url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
