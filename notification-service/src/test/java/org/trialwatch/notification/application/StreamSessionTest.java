package org.trialwatch.notification.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

import org.trialwatch.notification.domain.matching.EventFacts;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.stream.StreamEntry;

class StreamSessionTest {

    private static final SubscriptionFilter EVERYTHING = new SubscriptionFilter(List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of());

    private static StreamEntry entry(long id) {
        return new StreamEntry(id, "trial.status_changed", new EventFacts("trial.status-changed", "NCT00000001",
                null, null, null, null, null, null), "{}");
    }

    @Test
    void aClientThatDoesNotReadIsCutOffOnceItsQueueIsFull() {
        AtomicInteger terminated = new AtomicInteger();
        StreamSession session = new StreamSession(EVERYTHING, 4, terminated::incrementAndGet);
        AssertSubscriber<StreamEntry> client = session.entries().subscribe().withSubscriber(AssertSubscriber.create(0));
        session.replay(0, List.of());
        for (long id = 1; id <= 5; id++) {
            session.onLive(entry(id));
        }
        client.assertFailedWith(StreamSession.ClientTooSlowException.class, "fell 4 events behind");
        assertThat(terminated).hasValue(1);
    }

    @Test
    void aClientThatReadsGetsEverythingInOrderWithoutRepeats() {
        StreamSession session = new StreamSession(EVERYTHING, 4, () -> { });
        AssertSubscriber<StreamEntry> client = session.entries().subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        session.onLive(entry(3)); // arrives live while the missed ones are read
        session.replay(1, List.of(entry(2), entry(3)));
        for (long id = 4; id <= 100; id++) {
            session.onLive(entry(id));
        }
        assertThat(client.getItems()).extracting(StreamEntry::id).hasSize(99).isSorted().doesNotHaveDuplicates();
        client.assertNotTerminated();
    }

    @Test
    void aResetReachesTheClientWhateverItsFilter() {
        SubscriptionFilter onlyOther = new SubscriptionFilter(List.of("NCT99999999"), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of());
        StreamSession session = new StreamSession(onlyOther, 4, () -> { });
        AssertSubscriber<StreamEntry> client = session.entries().subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        session.reset(StreamEntry.reset(3, 50, "you missed more than 20 events"));
        assertThat(client.getItems()).singleElement().satisfies(e -> {
            assertThat(e.isReset()).isTrue();
            assertThat(e.id()).isEqualTo(50);
        });
    }
}
