package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.SseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.notification.application.StreamFeed;
import org.trialwatch.notification.persistence.StreamHistory;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class LiveStreamIT {

    private static final String NCT = "NCT90000020";

    @TestHTTPResource("/api/stream")
    URL stream;

    @Inject
    StreamFeed feed;

    @Inject
    StreamHistory history;

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
    void eventsStoredWhileNoClientListensAreReplayedOnResumeAndLiveOnesFollow() throws Exception {
        String nct = "NCT90000023";
        String token = TestTokens.subscriber("team-dash");
        URI onTrial = URI.create(stream + "?nctId=" + nct);
        long firstId;
        try (SseClient client = SseClient.connect(onTrial, token, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.heartbeats() > 0);
            TrialStatusChanged first = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED);
            ContractEvents.publish(first);
            await().atMost(Duration.ofSeconds(15)).until(() -> saw(client, first));
            firstId = client.events().get(0).id();
        }
        // nobody listens on this replica now: the feed stops reading the history, the intake goes on storing it
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.openConnections() == 0);
        TrialStatusChanged missed = ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING);
        ContractEvents.publish(missed);
        await().atMost(Duration.ofSeconds(15)).until(() -> history.after(firstId, 1000).stream()
                .anyMatch(e -> e.body().contains(missed.eventId())));
        assertThat(feed.openConnections()).isZero();

        try (SseClient resumed = SseClient.connect(onTrial, token, firstId)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> saw(resumed, missed));
            TrialStatusChanged live = ContractEvents.statusChange(nct, 4, TrialStatus.RECRUITING, TrialStatus.COMPLETED);
            ContractEvents.publish(live);
            await().atMost(Duration.ofSeconds(15)).until(() -> saw(resumed, live));
            assertThat(resumed.events()).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates()
                    .allMatch(id -> id > firstId);
            assertThat(resumed.events()).hasSize(2);
        }
    }

    @Test
    void aClientResumingFromFurtherBackThanTheStreamKeepsIsToldToReset() throws Exception {
        String nct = "NCT90000022";
        String token = TestTokens.subscriber("team-dash");
        URI onTrial = URI.create(stream + "?nctId=" + nct);
        try (SseClient watcher = SseClient.connect(onTrial, token, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.heartbeats() > 0);
            int missed = 25; // more than the test profile's resume limit of 20
            for (int sequence = 2; sequence < 2 + missed; sequence++) {
                ContractEvents.publish(ContractEvents.statusChange(nct, sequence,
                        sequence % 2 == 0 ? TrialStatus.RECRUITING : TrialStatus.SUSPENDED,
                        sequence % 2 == 0 ? TrialStatus.SUSPENDED : TrialStatus.RECRUITING));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.events().size() >= missed);
            long beforeAll = watcher.events().get(0).id() - 1;
            long newest = watcher.events().get(missed - 1).id();

            try (SseClient resumed = SseClient.connect(onTrial, token, beforeAll)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !resumed.events().isEmpty());
                SseClient.Event reset = resumed.events().get(0);
                assertThat(reset.name()).isEqualTo("reset");
                assertThat(reset.id()).isGreaterThanOrEqualTo(newest);
                assertThat(reset.data()).contains("\"lastEventId\":" + beforeAll);

                TrialStatusChanged live = ContractEvents.statusChange(nct, 2 + missed, TrialStatus.RECRUITING,
                        TrialStatus.COMPLETED);
                ContractEvents.publish(live);
                await().atMost(Duration.ofSeconds(15)).until(() -> saw(resumed, live));
                assertThat(resumed.events()).hasSize(2);
            }
        }
    }

    @Test
    void connectionsOverTheCapAreRefusedWith429() throws Exception {
        String token = TestTokens.subscriber("team-dash");
        java.util.List<SseClient> open = new java.util.ArrayList<>();
        try {
            SseClient refused = null;
            // the test profile allows 8 per replica; connections other tests closed may take a heartbeat to be noticed
            for (int i = 0; i < 20 && refused == null; i++) {
                SseClient client = SseClient.connect(filtered(), token, null);
                if (client.status() == 200) {
                    open.add(client);
                } else {
                    refused = client;
                }
            }
            assertThat(refused).as("a connection over the cap is refused").isNotNull();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("content-type")).startsWith("application/problem+json");
            assertThat(refused.header("retry-after")).isNotBlank();
            assertThat(open.size()).isLessThanOrEqualTo(8);
            refused.close();

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                SseClient again = SseClient.connect(filtered(), token, null);
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.close();
                return false;
            });
        } finally {
            for (SseClient client : open) {
                client.close();
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
