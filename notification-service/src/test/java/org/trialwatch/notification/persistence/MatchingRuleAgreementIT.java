package org.trialwatch.notification.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.trialwatch.notification.domain.matching.EventFacts;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.matching.SubscriptionMatcher;
import org.trialwatch.notification.domain.subscription.Channel;
import org.trialwatch.notification.domain.subscription.Subscription;
import org.trialwatch.testbed.PostgresDatabases;

/**
 * The matching rule exists twice: in memory ({@link SubscriptionMatcher}: the live stream, and the documented rule)
 * and as the SQL production uses ({@link SubscriptionIndex#MATCH_EVENTS}). On random subscriptions stored in a real
 * PostgreSQL (migrated by the service's own Flyway scripts, written by the service's own store) and random events, both
 * must pick the same subscriptions for every event: an enabled, verified subscription matches when every dimension it
 * restricts accepts one of the event's values there.
 *
 * <p>Values are drawn from small pools spelled several ways (case, punctuation, arrows, blanks), so that hits, near
 * misses and canonical forms all occur. Seeded: a failure prints the seed; {@code -Dmatching.seed=<seed>} replays it.
 * (A plain JUnit loop rather than jqwik: jqwik 1.10.1 is built on JUnit Platform 1.14, Quarkus 3.33 runs JUnit 6.)
 */
class MatchingRuleAgreementIT {

    private static final int ROUNDS = 30;
    private static final int SUBSCRIPTIONS_PER_ROUND = 50;
    private static final int EVENTS_PER_ROUND = 40;

    private static final List<String> NCT_IDS = List.of("NCT00000001", "nct00000001", "NCT00000002", " NCT00000003 ");
    private static final List<String> TUMOUR_TYPES = List.of("BTC", "btc", "PC", "pc ", "");
    private static final List<String> MECHANISMS = List.of("KRAS", "kras-g12d", "KRAS G12D", "G12D inhibitor",
            "EGFR", "FGFR2 fusion", "  ", "inhibitor");
    private static final List<String> EVENT_MECHANISMS = List.of("KRAS G12D inhibitor", "FGFR2-fusion inhibitor",
            "EGFR antibody", "kras");
    private static final List<String> THERAPY_CLASSES = List.of("targeted", "Targeted", "chemotherapy",
            "immuno-therapy", "IMMUNO THERAPY");
    private static final List<String> EVENT_TYPES = List.of("trial.status-changed", "trial.registered",
            "org.trialwatch.trial.status-changed.v1", "TRIAL.UPDATED", "evidence.summary-updated",
            "org.trialwatch.evidence.summary-updated.v1");
    private static final List<String> TRANSITIONS = List.of("RECRUITING->TERMINATED", "recruiting → terminated",
            "->TERMINATED", "*->COMPLETED", "RECRUITING->", "NONE->RECRUITING", "ACTIVE_NOT_RECRUITING->*",
            "TERMINATED");
    private static final List<String> GROUPS = List.of("BTC|KRAS", "PC|EGFR", "btc|kras");
    private static final List<String> STATUSES = List.of("RECRUITING", "TERMINATED", "COMPLETED",
            "ACTIVE_NOT_RECRUITING");

    private static PostgresDatabases.Database database;
    private static Connection connection;
    private static DataSource dataSource;

    @BeforeAll
    static void migrate() throws SQLException {
        database = PostgresDatabases.create("tw_matching");
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setUrl(database.jdbcUrl());
        postgres.setUser(database.username());
        postgres.setPassword(database.password());
        Flyway.configure().dataSource(postgres).locations("classpath:db/migration").load().migrate();
        connection = postgres.getConnection();
        dataSource = oneConnection(connection);
    }

    @AfterAll
    static void drop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (database != null) {
            PostgresDatabases.drop(database);
        }
    }

    /**
     * The stores open and close a connection per call; opening one costs more than the statements here, so they all
     * share one (autocommit, as the stores' statements run outside a transaction in this test).
     */
    private static DataSource oneConnection(Connection shared) {
        Connection unclosed = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(shared, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosed;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theIndexQueryAndTheInMemoryMatcherPickTheSameSubscriptions() throws SQLException {
        long seed = Long.getLong("matching.seed", new Random().nextLong());
        Random random = new Random(seed);
        SubscriptionStore store = new SubscriptionStore(dataSource, null);
        SubscriptionIndex index = new SubscriptionIndex(dataSource);
        for (int round = 0; round < ROUNDS; round++) {
            clear();
            List<Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < SUBSCRIPTIONS_PER_ROUND; i++) {
                Subscription s = subscription(random);
                store.insert(s, null);
                subscriptions.add(s);
            }
            List<EventFacts> events = new ArrayList<>();
            for (int i = 0; i < EVENTS_PER_ROUND; i++) {
                events.add(event(random));
            }

            List<List<UUID>> fromSql = index.matchingAll(events);

            for (int e = 0; e < events.size(); e++) {
                EventFacts event = events.get(e);
                List<UUID> inMemory = subscriptions.stream()
                        .filter(s -> s.enabled() && s.verified() && SubscriptionMatcher.matches(s.filter(), event))
                        .map(Subscription::id).sorted().toList();
                List<UUID> sql = fromSql.get(e).stream().sorted().toList();
                int failedRound = round;
                assertThat(sql)
                        .withFailMessage(() -> "seed " + seed + " (replay with -Dmatching.seed=" + seed + "), round "
                                + failedRound + ": the index query and the matcher disagree on " + event
                                + "\n  SQL:       " + describe(sql, subscriptions)
                                + "\n  in memory: " + describe(inMemory, subscriptions))
                        .isEqualTo(inMemory);
            }
        }
    }

    private static void clear() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate subscription cascade");
        }
    }

    private static Subscription subscription(Random random) {
        SubscriptionFilter filter = new SubscriptionFilter(some(random, NCT_IDS), some(random, TUMOUR_TYPES),
                some(random, MECHANISMS), some(random, THERAPY_CLASSES), some(random, EVENT_TYPES),
                some(random, TRANSITIONS), some(random, GROUPS));
        Instant now = Instant.now();
        boolean enabled = random.nextInt(8) != 0;
        Instant verifiedAt = random.nextInt(8) != 0 ? now : null;
        return new Subscription(UUID.randomUUID(), "team-" + random.nextInt(3), "property", Channel.EMAIL, null,
                "someone@example.org", null, filter, enabled, null, now, now, verifiedAt, null, null);
    }

    /** Most dimensions left open (as most subscriptions are), otherwise one to three values. */
    private static List<String> some(Random random, List<String> pool) {
        if (random.nextInt(3) != 0) {
            return random.nextInt(4) == 0 ? null : List.of();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            values.add(pick(random, pool));
        }
        return values;
    }

    private static EventFacts event(Random random) {
        String type = pick(random, EVENT_TYPES);
        boolean statusChange = random.nextBoolean();
        List<String> tumours = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            tumours.add(pick(random, List.of("BTC", "PC", "btc")));
        }
        return new EventFacts(type,
                random.nextInt(6) == 0 ? null : pick(random, NCT_IDS),
                tumours,
                random.nextInt(4) == 0 ? null : pick(random, EVENT_MECHANISMS),
                random.nextInt(4) == 0 ? null : pick(random, THERAPY_CLASSES),
                statusChange && random.nextBoolean() ? pick(random, STATUSES) : null,
                statusChange ? pick(random, STATUSES) : null,
                random.nextInt(3) == 0 ? pick(random, GROUPS) : null);
    }

    private static <T> T pick(Random random, List<T> pool) {
        return pool.get(random.nextInt(pool.size()));
    }

    private static String describe(List<UUID> ids, List<Subscription> subscriptions) {
        return subscriptions.stream().filter(s -> ids.contains(s.id()))
                .sorted(Comparator.comparing(Subscription::id))
                .map(s -> s.id() + " " + s.filter().indexEntries()).toList().toString();
    }
}
