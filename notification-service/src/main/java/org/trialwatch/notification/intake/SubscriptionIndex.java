package org.trialwatch.notification.intake;

import java.sql.Array;
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

import org.trialwatch.notification.matching.Dimension;
import org.trialwatch.notification.matching.EventFacts;

/**
 * Finds the enabled, verified subscriptions an event matches through the {@code subscription_filter_value} index: only rows
 * whose (dimension, value) the event hits are read; a subscription matches when it is hit in as many dimensions as it
 * restricts. Subscriptions restricting nothing come from a partial index. Same rule as {@code SubscriptionMatcher}.
 * A subscription whose address has not confirmed, or whose endpoint has not answered its verification event, matches
 * nothing ({@code verified_at is not null}): no delivery is created for it.
 */
@ApplicationScoped
public class SubscriptionIndex {

    private static final String MATCH = """
            select s.id from subscription s
              join (select v.subscription_id, count(distinct v.dimension) as hits
                      from subscription_filter_value v
                      join unnest(?::text[], ?::text[]) as k(dimension, value)
                        on v.dimension = k.dimension and v.value = k.value
                     group by v.subscription_id) m on m.subscription_id = s.id
             where s.enabled and s.verified_at is not null and m.hits = s.specific_dimensions
            union
            select s.id from subscription s where s.specific_dimensions = 0 and s.enabled and s.verified_at is not null
            """;

    private final DataSource dataSource;

    public SubscriptionIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<UUID> matching(EventFacts facts) {
        List<String> dimensions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Map.Entry<Dimension, Set<String>> entry : facts.keys().entrySet()) {
            for (String value : entry.getValue()) {
                dimensions.add(entry.getKey().name());
                values.add(value);
            }
        }
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(MATCH)) {
            Array dims = c.createArrayOf("text", dimensions.toArray());
            Array vals = c.createArrayOf("text", values.toArray());
            ps.setArray(1, dims);
            ps.setArray(2, vals);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot match subscriptions", e);
        }
        return ids;
    }
}
