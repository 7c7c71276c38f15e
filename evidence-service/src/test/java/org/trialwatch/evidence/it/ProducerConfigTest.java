package org.trialwatch.evidence.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/** SmallRye's Kafka producer defaults to acks=1, which also disables idempotence: check what the client really got. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class ProducerConfigTest {

    @Inject
    KafkaClientService kafka;

    @Test
    void evidenceEventsProducerWaitsForAllReplicasAndIsIdempotent() {
        Map<String, ?> config = kafka.getProducer(Topics.EVIDENCE_EVENTS).configuration();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
    }
}
