package org.trialwatch.notification.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.mail.MailSender;
import org.trialwatch.notification.metrics.NotificationMetrics;
import org.trialwatch.notification.subscription.Channel;
import org.trialwatch.notification.subscription.Subscription;
import org.trialwatch.notification.subscription.SubscriptionStore;
import org.trialwatch.notification.webhook.WebhookSender;
import org.trialwatch.notification.webhook.WebhookTargetGuard;

/**
 * Polls for due notifications, claims them in batches and sends them concurrently; records every attempt and decides
 * by the retry policy what comes next.
 */
@ApplicationScoped
public class DeliveryDispatcher {

    private static final Logger LOG = Logger.getLogger(DeliveryDispatcher.class);

    private final NotificationStore notifications;
    private final SubscriptionStore subscriptions;
    private final MailSender mail;
    private final NotificationMetrics metrics;
    private final NotificationSettings settings;
    private final RetryPolicy retryPolicy;
    private final WebhookSender webhooks;
    private final ExecutorService senders;
    private final Semaphore idleSenders;

    public DeliveryDispatcher(NotificationStore notifications, SubscriptionStore subscriptions, MailSender mail,
                              NotificationMetrics metrics, NotificationSettings settings, WebhookTargetGuard guard) {
        this.notifications = notifications;
        this.subscriptions = subscriptions;
        this.mail = mail;
        this.metrics = metrics;
        this.settings = settings;
        NotificationSettings.Delivery delivery = settings.delivery();
        this.retryPolicy = new RetryPolicy(delivery.retrySchedule(), delivery.jitter(), delivery.maxRetryAfter(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.webhooks = new WebhookSender(guard, settings.webhooks().connectTimeout(),
                settings.webhooks().requestTimeout(), settings.webhooks().responseBodyCap());
        this.idleSenders = new Semaphore(delivery.senders());
        this.senders = Executors.newFixedThreadPool(delivery.senders(), r -> {
            Thread t = new Thread(r, "webhook-sender");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

    /**
     * Claims only as many due notifications as there are idle senders and hands each to a sender without waiting for
     * the others, so one slow endpoint never holds back the attempts of the rest.
     */
    @Scheduled(every = "${trialwatch.delivery.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void dispatchDue() {
        while (true) {
            int capacity = Math.min(idleSenders.availablePermits(), settings.delivery().batchSize());
            if (capacity == 0) {
                return;
            }
            List<DueNotification> batch = notifications.claimDue(capacity, settings.delivery().lease(), Instant.now());
            for (DueNotification n : batch) {
                idleSenders.acquireUninterruptibly();
                senders.execute(() -> {
                    try {
                        deliver(n);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "delivery of %s failed unexpectedly; it is retried when its lease ends", n.id());
                    } finally {
                        idleSenders.release();
                    }
                });
            }
            if (batch.size() < capacity) {
                return;
            }
        }
    }

    void deliver(DueNotification n) {
        Optional<Subscription> found = subscriptions.find(n.subscriptionId());
        if (found.isEmpty() || !found.get().enabled()) {
            return;
        }
        Subscription subscription = found.get();
        Instant now = Instant.now();
        AttemptResult result = subscription.channel() == Channel.WEBHOOK
                ? webhooks.send(subscription.url(), n.id().toString(), n.body(),
                        subscriptions.liveSecrets(subscription.id(), now), now)
                : mail.sendNotification(subscription.email(), n.body());
        int attempt = n.attempts() + 1;
        DeliveryDecision decision = retryPolicy.decide(attempt, result);
        NotificationStore.Recorded recorded = notifications.record(n, result, decision, Instant.now(),
                settings.delivery().disableAfter());
        if (result.succeeded()) {
            metrics.deliverySucceeded();
        } else {
            metrics.deliveryFailed();
            LOG.infof("delivery of %s to subscription %s failed (attempt %d): %s -> %s", n.id(), subscription.id(),
                    attempt, RetryPolicy.describe(result), decision);
        }
        if (decision instanceof DeliveryDecision.DeadLetter || decision instanceof DeliveryDecision.DisableEndpoint) {
            metrics.deadLettered();
        }
        if (recorded.subscriptionDisabled()) {
            notifyDisabled(subscription, recorded.disabledReason());
        }
    }

    private void notifyDisabled(Subscription subscription, String reason) {
        String to = subscription.noticeAddress() != null ? subscription.noticeAddress()
                : settings.mail().fallbackRecipient();
        LOG.warnf("subscription %s of team %s disabled: %s; telling %s", subscription.id(), subscription.team(),
                reason, to);
        try {
            mail.sendDisabledNotice(to, subscription, reason, Instant.now());
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not send the disabled notice for subscription %s", subscription.id());
        }
    }
}
