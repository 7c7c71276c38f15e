package org.trialwatch.notification.application;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;

import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.matching.SubscriptionMatcher;
import org.trialwatch.notification.domain.stream.StreamEntry;

/**
 * One client's feed: first the entries it missed, then the live ones, without gap or repeat, filtered. What the
 * client has not yet taken is queued up to a bound; a client that falls further behind is cut off with
 * {@link ClientTooSlowException} (it can reconnect with its Last-Event-ID) rather than holding memory without limit.
 */
final class StreamSession {

    /** The client did not read fast enough and its queue is full. */
    static final class ClientTooSlowException extends RuntimeException {
        ClientTooSlowException(int bound) {
            super("the client fell " + bound + " events behind and was disconnected; resume with Last-Event-ID");
        }
    }

    private final SubscriptionFilter filter;
    private final ArrayBlockingQueue<StreamEntry> queue;
    private final UnicastProcessor<StreamEntry> out;
    private final List<StreamEntry> buffered = new ArrayList<>();
    private final int bound;
    private boolean replaying = true;
    private boolean cutOff;
    private long lastSeen;

    StreamSession(SubscriptionFilter filter, int bound, Runnable onTermination) {
        this.filter = filter;
        this.bound = bound;
        this.queue = new ArrayBlockingQueue<>(bound);
        this.out = UnicastProcessor.create(queue, onTermination);
    }

    Multi<StreamEntry> entries() {
        return out;
    }

    synchronized void onLive(StreamEntry entry) {
        if (replaying) {
            if (buffered.size() >= bound) {
                overflow();
            } else {
                buffered.add(entry);
            }
        } else {
            emitIfNew(entry);
        }
    }

    /** Sends what was missed after {@code from}, then what arrived live meanwhile, and switches to live. */
    synchronized void replay(long from, List<StreamEntry> missed) {
        lastSeen = from;
        missed.forEach(this::emitIfNew);
        buffered.forEach(this::emitIfNew);
        buffered.clear();
        replaying = false;
    }

    /** Sends a reset and goes on live after {@code reset.id()}: what lies before it is not replayed. */
    synchronized void reset(StreamEntry reset) {
        lastSeen = reset.id();
        offer(reset);
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
            offer(entry);
        }
    }

    private void offer(StreamEntry entry) {
        if (cutOff) {
            return;
        }
        if (queue.remainingCapacity() == 0) {
            overflow();
            return;
        }
        out.onNext(entry);
    }

    private void overflow() {
        if (!cutOff) {
            cutOff = true;
            // the failure would otherwise wait behind the queued events, which this client is not reading
            queue.clear();
            out.onError(new ClientTooSlowException(bound));
        }
    }
}
