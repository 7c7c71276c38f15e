package org.trialwatch.notification.application;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.stream.StreamEntry;
import org.trialwatch.notification.persistence.StreamHistory;

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
    /** The id of the last entry read from the history and broadcast; meaningful only while not {@link #idle}. */
    private long cursor = -1;
    /**
     * No client on this replica: polls read nothing (at 200 changes/s they read back 400 stored entries a second to
     * broadcast to no one) and the cursor goes stale; the first client to connect moves it to the newest entry before
     * its own replay is read ({@link #catchUp}), so nothing committed after its replay is missed.
     */
    private boolean idle = true;
    private final java.util.concurrent.ExecutorService poller = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "stream-feed");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pollPending = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> connectionsByTeam =
            new java.util.concurrent.ConcurrentHashMap<>();

    public StreamFeed(StreamHistory history, NotificationSettings settings) {
        this.history = history;
        this.settings = settings;
    }

    @Scheduled(every = "${trialwatch.stream.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void poll() {
        if (connections.get() == 0) {
            idle = true;
            return;
        }
        if (idle) {
            return; // a client is connecting: its catchUp moves the cursor before its replay is read
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

    /** Open connections on this replica are at the cap. */
    public static final class StreamFullException extends RuntimeException {
        StreamFullException(String why) {
            super(why);
        }

        StreamFullException(int max) {
            super("this replica already serves " + max + " stream connections");
        }
    }

    /**
     * Opens a client's feed: entries after {@code lastEventId} (or only new ones when null) that match
     * {@code filter}. When the client missed more than the stream keeps (history pruned past its id, or more missed
     * entries than a resume replays), it gets a {@code reset} entry first and goes on live from there. Refused with
     * {@link StreamFullException} when this replica already serves its maximum of connections. Blocking: reads the
     * history.
     */
    public Multi<StreamEntry> open(String team, Long lastEventId, SubscriptionFilter filter) {
        NotificationSettings.Stream config = settings.stream();
        AtomicInteger ofTeam = connectionsByTeam.computeIfAbsent(team, t -> new AtomicInteger());
        if (ofTeam.incrementAndGet() > config.maxConnectionsPerTeam()) {
            ofTeam.decrementAndGet();
            throw new StreamFullException("team " + team + " already has " + config.maxConnectionsPerTeam()
                    + " stream connections open on this replica");
        }
        if (connections.incrementAndGet() > config.maxConnections()) {
            connections.decrementAndGet();
            ofTeam.decrementAndGet();
            throw new StreamFullException(config.maxConnections());
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable release = () -> {
            if (closed.compareAndSet(false, true)) {
                connections.decrementAndGet();
                ofTeam.decrementAndGet();
            }
        };
        try {
            // the replay is queued before the client subscribes, so its queue holds a full replay plus the buffer
            StreamSession session = new StreamSession(filter, config.resumeLimit() + config.clientBuffer(), release);
            Cancellable liveSubscription = live.subscribe().with(session::onLive);
            catchUp();
            if (lastEventId == null) {
                session.replay(history.latestId(), List.of());
            } else {
                List<StreamEntry> missed = history.after(lastEventId, config.resumeLimit() + 1);
                long prunedThrough = history.prunedThrough();
                if (lastEventId < prunedThrough) {
                    session.reset(StreamEntry.reset(lastEventId, history.latestId(),
                            "events after your Last-Event-ID are no longer kept"));
                } else if (missed.size() > config.resumeLimit()) {
                    session.reset(StreamEntry.reset(lastEventId, history.latestId(),
                            "you missed more than " + config.resumeLimit() + " events"));
                } else {
                    session.replay(lastEventId, missed);
                }
            }
            return session.entries().onTermination().invoke(() -> {
                liveSubscription.cancel();
                release.run();
            });
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /**
     * Ends an idle spell: the cursor moves to the newest stored entry, read before the connecting client's replay, so
     * every entry after the cursor is broadcast and the client's replay covers every entry up to it (entries in both
     * are sent once: sessions drop ids they have sent).
     */
    private synchronized void catchUp() {
        if (idle) {
            cursor = history.latestId();
            idle = false;
        }
    }

    /** Stream connections open on this replica. */
    public int openConnections() {
        return connections.get();
    }
}
