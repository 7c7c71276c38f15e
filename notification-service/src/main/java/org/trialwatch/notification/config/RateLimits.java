package org.trialwatch.notification.config;

import jakarta.inject.Singleton;

import org.trialwatch.notification.domain.quota.RateLimiter;

/** The rate limiters of {@link NotificationSettings.Limits}, one set per replica. */
@Singleton
public class RateLimits {

    private final RateLimiter testsPerSubscription;
    private final RateLimiter testsPerTeam;
    private final RateLimiter replaysPerSubscription;
    private final RateLimiter replaysPerTeam;
    private final RateLimiter verificationsPerSubscription;
    private final RateLimiter verificationsPerTeam;

    public RateLimits(NotificationSettings settings) {
        NotificationSettings.Limits limits = settings.limits();
        this.testsPerSubscription = new RateLimiter(limits.testsPerSubscription(), limits.ratePeriod(), System::nanoTime);
        this.testsPerTeam = new RateLimiter(limits.testsPerTeam(), limits.ratePeriod(), System::nanoTime);
        this.replaysPerSubscription = new RateLimiter(limits.replaysPerSubscription(), limits.ratePeriod(), System::nanoTime);
        this.replaysPerTeam = new RateLimiter(limits.replaysPerTeam(), limits.ratePeriod(), System::nanoTime);
        this.verificationsPerSubscription = new RateLimiter(limits.verificationsPerSubscription(), limits.ratePeriod(),
                System::nanoTime);
        this.verificationsPerTeam = new RateLimiter(limits.verificationsPerTeam(), limits.ratePeriod(), System::nanoTime);
    }

    public RateLimiter.Decision test(String team, String subscriptionId) {
        return RateLimiter.takeAll(testsPerTeam, team, testsPerSubscription, subscriptionId);
    }

    public RateLimiter.Decision replay(String team, String subscriptionId) {
        return RateLimiter.takeAll(replaysPerTeam, team, replaysPerSubscription, subscriptionId);
    }

    /** A confirmation mail or webhook verification event for one subscription. */
    public RateLimiter.Decision verification(String team, String subscriptionId) {
        return RateLimiter.takeAll(verificationsPerTeam, team, verificationsPerSubscription, subscriptionId);
    }
}
