package org.trialwatch.notification.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class LiveStreamTest {

    private static final String NCT = "NCT90000020";

    @TestHTTPResource("/api/stream")
    URL stream;

    private URI filtered() {
        return URI.create(stream + "?nctId=" + NCT + "&eventType=trial.status-changed");
    }

    private static boolean saw(SseClient client, TrialStatusChanged event) {
        return client.events().stream().anyMatch(e -> e.data().contains(event.eventId()));
    }

    @Test
    void aReconnectWithLastEventIdResumesWithoutLosingAnEvent() throws Exception {
        String token = TestTokens.subscriber("team-dash");
        try (SseClient watcher = SseClient.connect(filtered(), token, null)) {
            SseClient client = SseClient.connect(filtered(), token, null);
            assertThat(client.status()).isEqualTo(200);
            // connected once the first heartbeat (1 s in the test profile) arrives
            await().atMost(Duration.ofSeconds(10)).until(() -> client.heartbeats() > 0 && watcher.heartbeats() > 0);

            TrialStatusChanged first = ContractEvents.statusChange(NCT, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED);
            ContractEvents.publish(first);
            await().atMost(Duration.ofSeconds(15)).until(() -> saw(client, first));
            SseClient.Event firstSeen = client.events().get(0);
            assertThat(firstSeen.name()).isEqualTo("trial.status_changed");
            assertThat(firstSeen.id()).isPositive();
            client.close();

            TrialStatusChanged missed1 = ContractEvents.statusChange(NCT, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING);
            TrialStatusChanged otherTrial = ContractEvents.statusChange("NCT90000021", 2, TrialStatus.RECRUITING,
                    TrialStatus.TERMINATED);
            TrialStatusChanged missed2 = ContractEvents.statusChange(NCT, 4, TrialStatus.RECRUITING,
                    TrialStatus.ACTIVE_NOT_RECRUITING);
            ContractEvents.publish(missed1);
            ContractEvents.publish(otherTrial);
            ContractEvents.publish(missed2);
            await().atMost(Duration.ofSeconds(15)).until(() -> saw(watcher, missed1) && saw(watcher, missed2));

            try (SseClient resumed = SseClient.connect(filtered(), token, firstSeen.id())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() >= 2);
                TrialStatusChanged live = ContractEvents.statusChange(NCT, 5, TrialStatus.ACTIVE_NOT_RECRUITING,
                        TrialStatus.COMPLETED);
                ContractEvents.publish(live);
                await().atMost(Duration.ofSeconds(15)).until(() -> saw(resumed, live));

                List<SseClient.Event> got = resumed.events();
                assertThat(got).hasSize(3);
                assertThat(got.get(0).data()).contains(missed1.eventId());
                assertThat(got.get(1).data()).contains(missed2.eventId());
                assertThat(got.get(2).data()).contains(live.eventId());
                assertThat(got).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates()
                        .allMatch(id -> id > firstSeen.id());
                assertThat(got).noneMatch(e -> e.data().contains(otherTrial.eventId()));
            }
        }
    }

    @Test
    void aBadFilterIsAProblem() throws Exception {
        try (SseClient client = SseClient.connect(URI.create(stream + "?tumourType=lung"),
                TestTokens.subscriber("team-dash"), null)) {
            assertThat(client.status()).isEqualTo(400);
        }
    }
}
