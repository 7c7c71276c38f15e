package org.trialwatch.notification.application;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * The dispatcher is woken by the intake's commit, not by its poll: with the poll an hour apart, a status change still
 * reaches the matching webhook. (Before, the Kafka listener called the dispatcher; now nothing outside the intake's
 * committed transaction does.)
 */
@QuarkusTest
@TestProfile(DispatcherWakeUpIT.HourlyPoll.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class DispatcherWakeUpIT {

    public static class HourlyPoll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trialwatch.delivery.poll-interval", "1h");
        }
    }

    private static final String TEAM = "team-wake-up";
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void newNotificationsAreSentWithoutWaitingForThePoll() {
        String nct = "NCT90000701";
        Api.webhook(TEAM, receiver.url("/woken"), Map.of("nctIds", List.of(nct)));
        TrialStatusChanged change = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.TERMINATED);

        ContractEvents.publish(change);

        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.at("/woken").isEmpty());
        assertThat(receiver.at("/woken")).hasSize(1);
        assertThat(receiver.at("/woken").get(0).body()).contains(change.eventId());
    }
}
