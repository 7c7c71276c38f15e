package org.trialwatch.evidence.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.trialwatch.events.Topics;
import org.trialwatch.support.outbox.OutboxProducer;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SmallRye's Kafka producer defaults to acks=1, which also disables idempotence; evidence-events leaves through the
 * shared outbox's own producer instead: check what that client really got.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class ProducerConfigIT {

    @Inject
    OutboxProducer producer;

    @Test
    void evidenceEventsProducerWaitsForAllReplicasIsIdempotentAndNeverExpiresARecord() {
        assertThat(producer.destination().topic()).isEqualTo(Topics.EVIDENCE_EVENTS);
        assertThat(producer.destination().source()).isEqualTo("/evidence-service");
        Map<String, ?> config = producer.effectiveConfig();
        assertThat(String.valueOf(config.get("acks"))).isEqualTo("all");
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
        assertThat(config.get("delivery.timeout.ms")).isEqualTo(Integer.MAX_VALUE);
    }
}
