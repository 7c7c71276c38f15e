package org.trialwatch.notification.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.delivery.mail.MailSender;
import org.trialwatch.notification.application.NotificationMetrics;
import org.trialwatch.notification.domain.subscription.Channel;
import org.trialwatch.notification.domain.subscription.Subscription;
import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.notification.delivery.webhook.WebhookSender;
import org.trialwatch.notification.delivery.webhook.WebhookTargetGuard;
import org.trialwatch.support.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.delivery.DeliveryDecision;
import org.trialwatch.notification.domain.delivery.DueNotification;
import org.trialwatch.notification.domain.delivery.RetryPolicy;
import org.trialwatch.notification.persistence.DeliveryClaims;
import org.trialwatch.notification.persistence.DeliveryLogStore;

/**
 * Claims due notifications in batches and sends them concurrently; logs the attempts in batches and decides by the
 * retry policy what comes next.
 *
 * <p>One dispatch thread does all database work: it logs the attempts finished since its last round (one transaction
 * for all of them), then claims as many due notifications as there are free sending slots (one statement that also
 * reads their targets and secrets) and hands each to the sender pool, which starts it: a webhook's exchange then runs
 * on the HTTP client's event loop and holds no thread until it ends, so a replica has up to {@code max-in-flight}
 * attempts under way with a few threads, and one slow endpoint never holds back the attempts of the rest; every
 * finished attempt wakes the dispatch thread, and wake-ups arriving while it works are folded into its next round, so
 * the busier it is the larger its batches.
 *
 * <p>What keeps one endpoint from jamming the rest (ADR 0202): each attempt ends at a hard deadline whatever the
 * endpoint does; at most a few attempts of one subscription are claimed at a time, across replicas; and every claim is
 * short, renewed while held, and fenced by a token, so a replica that died loses its claims within seconds and an
 * attempt that outlived its claim cannot record an outcome.
 */
@ApplicationScoped
public class DeliveryDispatcher {

    private static final Logger LOG = Logger.getLogger(DeliveryDispatcher.class);

    private final DeliveryClaims claims;
    private final DeliveryLogStore deliveryLog;
    private final SubscriptionStore subscriptions;
    private final MailSender mail;
    private final NotificationMetrics metrics;
    private final NotificationSettings settings;
    private final RetryPolicy retryPolicy;
    private final WebhookSender webhooks;
    private final Tracing tracing;
    private final ExecutorService senders;
    private final ExecutorService dispatch;
    /**
     * Attempts claimed and not yet finished, at most {@code max-in-flight}: a webhook exchange in flight holds a slot
     * but no thread, so a stalled endpoint costs slots (at most its subscription's cap), never the senders.
     */
    private final Semaphore slots;
    private final ConcurrentLinkedQueue<DeliveryLogStore.Attempted> finished = new ConcurrentLinkedQueue<>();
    /** Claim tokens this replica holds (claimed, outcome not yet recorded): renewed until recorded. */
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    /** When the last round started (System.nanoTime); read and written by the dispatch thread only. */
    private long lastRound = System.nanoTime();

    public DeliveryDispatcher(DeliveryClaims claims, DeliveryLogStore deliveryLog, SubscriptionStore subscriptions,
                              MailSender mail, NotificationMetrics metrics, NotificationSettings settings,
                              WebhookTargetGuard guard, io.vertx.core.Vertx vertx, Tracing tracing) {
        this.tracing = tracing;
        this.claims = claims;
        this.deliveryLog = deliveryLog;
        this.subscriptions = subscriptions;
        this.mail = mail;
        this.metrics = metrics;
        this.settings = settings;
        NotificationSettings.Delivery delivery = settings.delivery();
        this.retryPolicy = new RetryPolicy(delivery.retrySchedule(), delivery.jitter(), delivery.maxRetryAfter(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.webhooks = new WebhookSender(vertx, guard, settings.webhooks().connectTimeout(),
                settings.webhooks().attemptDeadline(), settings.webhooks().responseReadLimit(), metrics::webhookResent);
        this.slots = new Semaphore(delivery.maxInFlight());
        this.senders = Executors.newFixedThreadPool(delivery.senders(), r -> {
            Thread t = new Thread(r, "webhook-sender");
            t.setDaemon(true);
            return t;
        });
        this.dispatch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "delivery-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        dispatch.shutdown();
        senders.shutdownNow();
        try {
            dispatch.awaitTermination(5, TimeUnit.SECONDS);
            recordFinished(); // what was sent is logged
            // the rest is given back, so another replica sends it now rather than when the lease ends
            claims.release(Set.copyOf(held), Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not log the last %d attempts on shutdown; their claims lapse with the lease",
                    finished.size());
        }
    }

    /**
     * Keeps the claims of running (and finished but not yet recorded) attempts: leases are short so that a replica
     * that died loses its claims within seconds, and this renewal is what keeps a live replica's claims.
     */
    @Scheduled(every = "${trialwatch.delivery.lease-renewal:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeases() {
        if (held.isEmpty()) {
            return;
        }
        try {
            claims.renew(Set.copyOf(held), Instant.now().plus(settings.delivery().lease()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not renew %d delivery claims; they may be taken over (outcomes stay fenced)",
                    held.size());
        }
    }

    /**
     * Wakes the dispatch loop once the intake's transaction that wrote new notifications has committed, so they are
     * sent now rather than at the next poll (the poll stays: for other replicas' events, retries and lapsed claims).
     * Runs on the committing thread and returns at once.
     */
    void notificationsCreated(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationsCreated created) {
        dispatchDue();
    }

    /**
     * Asks for a dispatch round and returns at once (never blocks the caller on the database or on sending): called
     * by the poll, after the intake committed new notifications, and whenever an attempt finishes.
     */
    @Scheduled(every = "${trialwatch.delivery.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void dispatchDue() {
        requested.set(true);
        if (running.compareAndSet(false, true)) {
            try {
                dispatch.execute(this::rounds);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running.set(false); // shutting down
            }
        }
    }

    private void rounds() {
        try {
            while (requested.get()) {
                // the wake-ups of a short while are one round: under load each claim then takes many notifications
                // (one claim per intake commit or finished attempt cost most of this service's database time)
                long wait = lastRound + settings.delivery().roundInterval().toNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                requested.set(false);
                lastRound = System.nanoTime();
                claimAndSend();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "dispatch round failed; the next poll tries again");
        } finally {
            running.set(false);
            if (requested.get()) {
                dispatchDue();
            }
        }
    }

    private void claimAndSend() {
        while (true) {
            // what finished meanwhile is logged before claiming more: while full claims follow one another (a
            // fan-out), finished attempts would otherwise keep their claims, counted as in flight and renewed every
            // few seconds, and each claim would count more of them (measured: 10,000 held, 73 ms per claim)
            recordFinished();
            int capacity = Math.min(slots.availablePermits(), settings.delivery().batchSize());
            if (capacity == 0) {
                return;
            }
            List<DeliveryClaims.Claimed> batch = metrics.claimRound().record(() -> claims.claimDue(capacity,
                    settings.delivery().maxInFlightPerSubscription(), settings.delivery().lease(), Instant.now()));
            for (DeliveryClaims.Claimed claimed : batch) {
                held.add(claimed.notification().claimToken());
                slots.acquireUninterruptibly(); // only this thread acquires, and capacity <= available
                senders.execute(() -> start(claimed));
            }
            if (batch.size() < capacity) {
                return;
            }
        }
    }

    /**
     * Starts one claimed attempt on a sender thread. A webhook's exchange then runs without a thread (its outcome
     * arrives on the HTTP client's event loop); an e-mail is sent here, holding the thread for at most the mailer's
     * timeout. The outcome is logged by the dispatch thread's next round.
     */
    void start(DeliveryClaims.Claimed claimed) {
        CompletionStage<AttemptResult> attempt;
        DueNotification n = claimed.notification();
        Instant now = Instant.now();
        try {
            attempt = Channel.WEBHOOK.name().equals(claimed.channel())
                    ? sendWebhook(claimed, n, n.attempts() + 1, now)
                    : CompletableFuture.completedFuture(mail.sendNotification(claimed.email(), n.body()));
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((result, failure) -> {
            try {
                if (failure != null) {
                    // no outcome to record: stop renewing the claim, so the notification is due when it lapses
                    held.remove(n.claimToken());
                    LOG.errorf(failure, "delivery of %s failed unexpectedly; it is retried when its lease ends", n.id());
                } else {
                    finished(n, n.attempts() + 1, result);
                }
            } finally {
                slots.release();
                dispatchDue();
            }
        });
    }

    /** Queues a finished attempt for the next round's log, with what the retry policy decides comes next. */
    private void finished(DueNotification n, int attempt, AttemptResult result) {
        DeliveryDecision decision = retryPolicy.decide(attempt, result);
        finished.add(new DeliveryLogStore.Attempted(n, result, decision, Instant.now()));
        if (result.succeeded()) {
            metrics.deliverySucceeded();
        } else {
            metrics.deliveryFailed();
            LOG.infof("delivery of %s to subscription %s failed (attempt %d): %s -> %s", n.id(), n.subscriptionId(),
                    attempt, RetryPolicy.describe(result), decision);
        }
        if (decision instanceof DeliveryDecision.DeadLetter || decision instanceof DeliveryDecision.DisableEndpoint) {
            metrics.deadLettered();
        }
    }

    /**
     * A webhook attempt is a client span in the trace of the event that caused it (stored with the notification, so
     * a retry hours later joins it too); the request carries that trace on in its traceparent header. The span ends
     * when the exchange does.
     */
    private CompletionStage<AttemptResult> sendWebhook(DeliveryClaims.Claimed claimed, DueNotification n, int attempt,
                                                       Instant now) {
        Tracing.Traced span = tracing.begin("webhook POST", SpanKind.CLIENT, n.traceparent());
        span.attribute("http.request.method", "POST").attribute("trialwatch.notification.id", n.id().toString())
                .attribute("trialwatch.subscription.id", n.subscriptionId().toString())
                .attribute("trialwatch.delivery.attempt", attempt);
        CompletableFuture<AttemptResult> exchange;
        try {
            exchange = webhooks.sendAsync(claimed.url(), n.id().toString(), n.body(), claimed.secrets(), now,
                    span.traceparent());
        } catch (RuntimeException e) {
            span.close();
            throw e;
        }
        return exchange.whenComplete((result, failure) -> {
            if (result != null && result.statusCode() != null) {
                span.attribute("http.response.status_code", result.statusCode());
            }
            if (result != null && !result.succeeded()) {
                span.failed(RetryPolicy.describe(result));
            }
            span.close();
        });
    }

    /** Logs every attempt finished so far in one transaction; on failure they stay queued for the next round. */
    private void recordFinished() {
        List<DeliveryLogStore.Attempted> batch = new ArrayList<>();
        for (DeliveryLogStore.Attempted a; (a = finished.poll()) != null; ) {
            batch.add(a);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<DeliveryLogStore.Recorded> recorded;
        try {
            recorded = metrics.recordRound().record(() -> deliveryLog.recordAll(batch, settings.delivery().disableAfter()));
        } catch (RuntimeException e) {
            finished.addAll(batch);
            throw e;
        }
        batch.forEach(a -> held.remove(a.notification().claimToken()));
        for (int i = 0; i < recorded.size(); i++) {
            DeliveryLogStore.Recorded r = recorded.get(i);
            if (r.subscriptionDisabled()) {
                java.util.UUID subscriptionId = batch.get(i).notification().subscriptionId();
                senders.execute(() -> subscriptions.find(subscriptionId)
                        .ifPresent(s -> notifyDisabled(s, r.disabledReason())));
            }
        }
    }

    private void notifyDisabled(Subscription subscription, String reason) {
        if (subscription.contactEmailPending()) {
            // the address was named by a team's token, not by its owner: it is told nothing until it confirms
            LOG.infof("subscription %s disabled: not telling its contact address, which has not confirmed yet",
                    subscription.id());
        }
        String to = subscription.noticeAddress() != null ? subscription.noticeAddress()
                : settings.mail().fallbackRecipient();
        LOG.warnf("subscription %s of team %s disabled: %s; telling %s", subscription.id(), subscription.team(),
                reason, to);
        // a notice the SMTP server does not take is tried again in the background (MailSender)
        mail.sendDisabledNotice(to, subscription, reason, Instant.now());
    }
}
