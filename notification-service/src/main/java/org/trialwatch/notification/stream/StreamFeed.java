package org.trialwatch.notification.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.matching.SubscriptionFilter;
import org.trialwatch.notification.matching.SubscriptionMatcher;

/**
 * Feeds live-stream clients from the stream history. One poller per replica follows the table in id order (the
 * table, not this replica's consumer, is the source, so every replica sees every event) and broadcasts new entries;
 * each client gets the entries after its Last-Event-ID from the table first, then the live ones, without gap or
 * repeat.
 */
@ApplicationScoped
public class StreamFeed {

    private static final Logger LOG = Logger.getLogger(StreamFeed.class);
    private static final int PAGE = 500;

    private final StreamHistory history;
    private final NotificationSettings settings;
    private final BroadcastProcessor<StreamEntry> live = BroadcastProcessor.create();
    private long cursor = -1;
    private final java.util.concurrent.ExecutorService poller = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stream-feed");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean pollPending = new java.util.concurrent.atomic.AtomicBoolean();

    public StreamFeed(StreamHistory history, NotificationSettings settings) {
        this.history = history;
        this.settings = settings;
    }

    @Scheduled(every = "${trialwatch.stream.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void poll() {
        if (cursor < 0) {
            cursor = history.latestId();
        }
        List<StreamEntry> page;
        do {
            page = history.after(cursor, PAGE);
            for (StreamEntry entry : page) {
                live.onNext(entry);
                cursor = entry.id();
            }
        } while (page.size() == PAGE);
    }

    /**
     * Polls on the feed's own thread and returns at once; requests made while one is pending are folded into it (the
     * event consumer calls this after every event it took in).
     */
    public void pollSoon() {
        if (pollPending.compareAndSet(false, true)) {
            try {
                poller.execute(() -> {
                    pollPending.set(false);
                    try {
                        poll();
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "stream poll failed; the next one tries again");
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pollPending.set(false);
            }
        }
    }

    @jakarta.annotation.PreDestroy
    void stopPoller() {
        poller.shutdownNow();
    }

    @Scheduled(every = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        int removed = history.pruneBefore(Instant.now().minus(settings.stream().retention()));
        if (removed > 0) {
            LOG.debugf("pruned %d stream events", removed);
        }
    }

    /**
     * Opens a client's feed: entries after {@code lastEventId} (or only new ones when null) that match
     * {@code filter}. Blocking: reads the history.
     */
    public Multi<StreamEntry> open(Long lastEventId, SubscriptionFilter filter) {
        Session session = new Session(filter);
        Cancellable liveSubscription = live.subscribe().with(session::onLive);
        long from = lastEventId != null ? lastEventId : history.latestId();
        session.replay(from, history.after(from, settings.stream().resumeLimit()));
        return session.out.onTermination().invoke(liveSubscription::cancel);
    }

    private static final class Session {
        private final SubscriptionFilter filter;
        private final UnicastProcessor<StreamEntry> out = UnicastProcessor.create();
        private final List<StreamEntry> buffered = new ArrayList<>();
        private boolean replaying = true;
        private long lastSeen;

        Session(SubscriptionFilter filter) {
            this.filter = filter;
        }

        synchronized void onLive(StreamEntry entry) {
            if (replaying) {
                buffered.add(entry);
            } else {
                emitIfNew(entry);
            }
        }

        synchronized void replay(long from, List<StreamEntry> missed) {
            lastSeen = from;
            missed.forEach(this::emitIfNew);
            buffered.forEach(this::emitIfNew);
            buffered.clear();
            replaying = false;
        }

        private void emitIfNew(StreamEntry entry) {
            if (entry.id() <= lastSeen) {
                return;
            }
            lastSeen = entry.id();
            if (SubscriptionMatcher.matches(filter, entry.facts())) {
                out.onNext(entry);
            }
        }
    }
}
