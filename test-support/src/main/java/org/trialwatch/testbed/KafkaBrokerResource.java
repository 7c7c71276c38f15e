package org.trialwatch.testbed;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at a real Kafka broker: the external one named by {@code KAFKA_BOOTSTRAP_SERVERS},
 * or the test JVM's own {@link KafkaBroker}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String external = KafkaBroker.externalBootstrapServers();
        String bootstrap = external != null ? external : KafkaBroker.shared().bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    @Override
    public void stop() {
        // The shared broker outlives one test class; a JVM shutdown hook stops it.
    }
}
