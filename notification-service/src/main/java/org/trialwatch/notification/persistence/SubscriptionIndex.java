package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.notification.domain.matching.Dimension;
import org.trialwatch.notification.domain.matching.EventFacts;

/**
 * Finds the enabled, verified subscriptions events match through the {@code subscription_filter_value} index: only
 * rows whose (dimension, value) an event hits are read; a subscription matches when it is hit in as many dimensions as
 * it restricts. Subscriptions restricting nothing come from a partial index. Same rule as {@code SubscriptionMatcher}.
 *
 * <p>A consumer poll's events are matched in one statement ({@link #MATCH_EVENTS}, the only matching SQL): each
 * distinct (dimension, value) of the poll is looked up once in the primary key's index, however many events share it
 * (a poll's status changes mostly share their event type, transitions and tumour types).
 *
 * <p>A subscription whose address has not confirmed, or whose endpoint has not answered its verification event, matches
 * nothing ({@code verified_at is not null}): no delivery is created for it.
 */
@ApplicationScoped
public class SubscriptionIndex {

    /**
     * Parameters: the events' keys as three parallel arrays (event number, dimension, value), then every event number
     * (an event without any key still reaches the subscriptions that restrict nothing). Rows: event number,
     * subscription id. Which subscriptions can match at all is decided by the two {@code where} clauses on {@code s}.
     */
    static final String MATCH_EVENTS = """
            with event_key as materialized (
                     select * from unnest(?::int[], ?::text[], ?::text[]) as k(event_no, dimension, value)),
                 key_hit as materialized (
                     select v.dimension, v.value, v.subscription_id
                       from (select distinct dimension, value from event_key) d
                       join subscription_filter_value v on v.dimension = d.dimension and v.value = d.value),
                 filter_hit as (
                     select event_no, subscription_id, count(*) as hits
                       from (select distinct k.event_no, h.subscription_id, h.dimension
                               from event_key k
                               join key_hit h on h.dimension = k.dimension and h.value = k.value) as hit
                      group by event_no, subscription_id)
            select h.event_no, s.id from filter_hit h join subscription s on s.id = h.subscription_id
             where s.enabled and s.verified_at is not null and h.hits = s.specific_dimensions
            union all
            select e.event_no, s.id from unnest(?::int[]) as e(event_no)
              cross join subscription s
             where s.specific_dimensions = 0 and s.enabled and s.verified_at is not null
            """;

    private final DataSource dataSource;

    public SubscriptionIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<UUID> matching(EventFacts facts) {
        return matchingAll(List.of(facts)).get(0);
    }

    /** The subscriptions each of {@code events} matches, in the events' order, from one query. */
    public List<List<UUID>> matchingAll(List<EventFacts> events) {
        List<List<UUID>> matched = new ArrayList<>(events.size());
        if (events.isEmpty()) {
            return matched;
        }
        List<Integer> eventNos = new ArrayList<>();
        List<String> dimensions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Integer[] all = new Integer[events.size()];
        for (int i = 0; i < events.size(); i++) {
            matched.add(new ArrayList<>());
            all[i] = i;
            for (Map.Entry<Dimension, Set<String>> entry : events.get(i).keys().entrySet()) {
                for (String value : entry.getValue()) {
                    eventNos.add(i);
                    dimensions.add(entry.getKey().name());
                    values.add(value);
                }
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(MATCH_EVENTS)) {
            ps.setArray(1, c.createArrayOf("int4", eventNos.toArray()));
            ps.setArray(2, c.createArrayOf("text", dimensions.toArray()));
            ps.setArray(3, c.createArrayOf("text", values.toArray()));
            ps.setArray(4, c.createArrayOf("int4", all));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    matched.get(rs.getInt(1)).add(rs.getObject(2, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot match subscriptions", e);
        }
        return matched;
    }
}
