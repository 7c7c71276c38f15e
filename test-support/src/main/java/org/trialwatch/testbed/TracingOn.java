package org.trialwatch.testbed;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile with the OpenTelemetry SDK on, as an operator turns it on in production, but with the spans going to
 * the test's in-memory exporter (a CDI {@code SpanExporter} bean, which Quarkus' default {@code cdi} exporter uses)
 * instead of an OTLP collector, and exported as each span ends so that a test sees them at once.
 */
public class TracingOn implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.simple", "true");
    }
}
