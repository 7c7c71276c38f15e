package org.trialwatch.notification.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every tunable of the service; each key can be set by environment variable (e.g. TRIALWATCH_DELIVERY_RETRY_SCHEDULE). */
@ConfigMapping(prefix = "trialwatch")
public interface NotificationSettings {

    Links links();

    Webhooks webhooks();

    Delivery delivery();

    Mail mail();

    Stream stream();

    Limits limits();

    /**
     * What one team may ask of the service, so that a token cannot be used to flood a third party (or the service):
     * over a limit the answer is 429 with Retry-After. Rates are token buckets per replica refilled over
     * {@code rate-period}.
     */
    interface Limits {
        @WithDefault("100")
        int subscriptionsPerTeam();

        @WithDefault("1h")
        Duration ratePeriod();

        /** {@code POST /api/subscriptions/{id}/test} per subscription and per team. */
        @WithDefault("10")
        int testsPerSubscription();

        @WithDefault("30")
        int testsPerTeam();

        /** {@code POST /api/notifications/{id}/replay} per subscription and per team (operators are not limited). */
        @WithDefault("30")
        int replaysPerSubscription();

        @WithDefault("100")
        int replaysPerTeam();

        /**
         * Verification sends (a confirmation mail, a webhook verification event): on creation, on a changed target
         * and on {@code POST /api/subscriptions/{id}/verify}, per subscription and per team; so a team cannot use the
         * service to flood a third party's inbox or endpoint by creating subscriptions in a loop.
         */
        @WithDefault("5")
        int verificationsPerSubscription();

        @WithDefault("50")
        int verificationsPerTeam();
    }

    interface Links {
        /** Base URL of the registry's REST API, for the links in payloads. */
        @WithDefault("http://localhost:8081")
        String registryBaseUrl();

        @WithDefault("http://localhost:8082")
        String evidenceBaseUrl();

        /** Base URL of this service as the recipients of its e-mails reach it, for confirmation links. */
        @WithDefault("http://localhost:8083")
        String notificationBaseUrl();
    }

    interface Webhooks {
        /** Hosts an operator trusts: http and private/loopback addresses are allowed for them (local testing). */
        Optional<Set<String>> allowedHosts();

        /**
         * The keys that seal signing secrets at rest (AES-256-GCM), as {@code id:base64} entries, the first one
         * current: TRIALWATCH_WEBHOOKS_SECRET_KEYS, from a Kubernetes Secret. Required: start-up fails without.
         */
        Optional<List<String>> secretKeys();

        /**
         * The hard limit on one attempt, from connecting through the response headers to the last byte of the body
         * read; an endpoint that answers its headers and then stalls fails the attempt when it runs out.
         */
        @WithDefault("15s")
        Duration attemptDeadline();

        @WithDefault("5s")
        Duration connectTimeout();

        /** At most this much of a receiver's response body is read; the rest is not waited for. */
        @WithDefault("65536")
        int responseReadLimit();

        /** Random bytes in a generated signing secret (the spec asks for 24–64). */
        @WithDefault("32")
        int secretBytes();

        /**
         * The hard limit on the verification event sent when a webhook subscription is created or its URL changed:
         * short, because the creating request waits for it.
         */
        @WithDefault("5s")
        Duration verificationDeadline();

        /** How long a rotated-out secret keeps signing. */
        @WithDefault("24h")
        Duration rotationOverlap();
    }

    interface Delivery {
        /** Delays before attempts 2, 3, …; the number of attempts is one more than the entries. */
        @WithDefault("5s,5m,30m,2h,5h,8h,8h")
        List<Duration> retrySchedule();

        /** Each delay is spread by up to this fraction either way, so failed endpoints are not retried in lockstep. */
        @WithDefault("0.2")
        double jitter();

        /** The longest Retry-After honoured; longer asks are capped. */
        @WithDefault("24h")
        Duration maxRetryAfter();

        /** How often due work is looked for without a wake-up (retries, other replicas' events, lapsed claims). */
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("50")
        int batchSize();

        /**
         * When one intake commit writes at least this many notifications (a fan-out), the notification table's
         * planner statistics are refreshed in that transaction, so the claims that follow are planned for a table full
         * of due rows. Autovacuum analyzes at most once a minute; until it did, claims planned on statistics from
         * before the fan-out took 59-150 ms each instead of 11-15 (measured under full load; a 10,000-subscriber
         * fan-out right after a start 20-36 s, now 7.6-10.9 s). 0 turns it off.
         */
        @WithDefault("1000")
        int refreshStatisticsAfter();

        /**
         * Threads that start attempts (checking a webhook's target resolves its host name) and send e-mail (which
         * holds its thread until the mail server answers). A webhook exchange in flight holds no thread.
         */
        @WithDefault("32")
        int senders();

        /** Attempts in flight at once on this replica (claimed, not yet finished). */
        @WithDefault("256")
        int maxInFlight();

        /**
         * Attempts of one subscription in flight at once, across all replicas: one slow or stalled endpoint holds at
         * most this many of the in-flight attempts, so the rest are sent past it. It also bounds one subscription's
         * rate: about this many per cycle of an attempt (claim, exchange, logged outcome; 64 at 100 ms: 640 per
         * second, enough for a team that follows every change at 200 changes per second, two events each).
         */
        @WithDefault("64")
        int maxInFlightPerSubscription();

        /**
         * The shortest time between two dispatch rounds (each logs the finished attempts and claims due ones). Wake-ups
         * that arrive meanwhile are folded into the next round, so under load each claim takes many notifications
         * instead of one claim per commit or finished attempt; it delays a notification by at most this much.
         */
        @WithDefault("20ms")
        Duration roundInterval();

        /**
         * A claim is held this long and renewed while its attempt runs; a replica that died leaves its claims to be
         * taken over when this runs out.
         */
        @WithDefault("10s")
        Duration lease();

        /** How often the claims of running attempts are renewed (well inside the lease). */
        @WithDefault("3s")
        Duration leaseRenewal();

        /** Delivered notifications and their attempt logs are purged after this. */
        @WithDefault("30d")
        Duration deliveredRetention();

        /**
         * Dead-lettered notifications (and their logs) are kept longer, because operators replay them after an outage;
         * after this they are purged too.
         */
        @WithDefault("90d")
        Duration deadLetterRetention();

        /** How often the purge runs; each run deletes in batches until nothing old is left. */
        @WithDefault("1h")
        Duration purgeInterval();

        @WithDefault("1000")
        int purgeBatch();

        /** An endpoint failing without a success for this long is disabled and its team told. */
        @WithDefault("5d")
        Duration disableAfter();
    }

    interface Mail {
        /** Who hears of a disabled endpoint when its subscription names no contact address. */
        @WithDefault("operators@trialwatch.local")
        String fallbackRecipient();

        /**
         * The key that signs e-mail confirmation links (HMAC-SHA256), base64, at least 32 random bytes:
         * TRIALWATCH_MAIL_CONFIRMATION_KEY, from a Kubernetes Secret. Required outside dev and test: start-up fails
         * without.
         */
        Optional<String> confirmationKey();

        /** How long a confirmation link works; the team can ask for a new one. */
        @WithDefault("72h")
        Duration confirmationValidity();
    }

    interface Stream {
        @WithDefault("15s")
        Duration heartbeat();

        /** How often each replica looks for events other replicas took in (the scheduler's floor is 1 s). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long events stay available to a reconnecting client (Last-Event-ID). */
        @WithDefault("24h")
        Duration retention();

        /**
         * At most this many missed events are replayed to one reconnecting client; one that missed more is sent a
         * {@code reset} event instead.
         */
        @WithDefault("1000")
        int resumeLimit();

        /** Open stream connections of one team (operators count as one team) per replica; more are refused with 429. */
        @WithDefault("20")
        int maxConnectionsPerTeam();

        /** Open stream connections per replica; more are refused with 429. */
        @WithDefault("500")
        int maxConnections();

        /**
         * Events queued for one client that does not read them, beyond a resume's replay; past this it is
         * disconnected (it can resume with its Last-Event-ID).
         */
        @WithDefault("256")
        int clientBuffer();
    }
}
