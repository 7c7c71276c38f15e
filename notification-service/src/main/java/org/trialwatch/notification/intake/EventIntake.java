package org.trialwatch.notification.intake;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.events.EventTypes;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialUpdated;
import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.matching.EventFacts;
import org.trialwatch.notification.webhook.WebhookPayloads;
import org.trialwatch.notification.stream.StreamHistory;
import org.trialwatch.notification.delivery.NotificationStore;
import org.trialwatch.support.messaging.FailureClassifier;
import org.trialwatch.support.messaging.FailureKind;
import org.trialwatch.support.messaging.PoisonRecordException;

/**
 * Takes one accepted event in one transaction: marks its ce_id processed (a redelivery stops here), updates the trial
 * projection, matches subscriptions through the index, writes their notifications and appends it to the stream.
 */
@ApplicationScoped
public class EventIntake {

    public record Result(boolean duplicate, int notifications) {
    }

    private final DataSource dataSource;
    private final TrialFactStore trialFacts;
    private final SubscriptionIndex index;
    private final NotificationStore notifications;
    private final StreamHistory stream;
    private final WebhookPayloads payloads;

    public EventIntake(DataSource dataSource, TrialFactStore trialFacts, SubscriptionIndex index,
                       NotificationStore notifications, StreamHistory stream, NotificationSettings settings) {
        this.dataSource = dataSource;
        this.trialFacts = trialFacts;
        this.index = index;
        this.notifications = notifications;
        this.stream = stream;
        this.payloads = new WebhookPayloads(settings.links().registryBaseUrl(), settings.links().evidenceBaseUrl());
    }

    @Transactional
    public Result take(IncomingEvent event) {
        return takeOne(event);
    }

    /**
     * Takes a consumer poll's events in one transaction (one commit for all, instead of one each), in order; a
     * failure rolls back all of them and the batch is taken again.
     */
    @Transactional
    public List<Result> takeAll(List<IncomingEvent> events) {
        List<Result> results = new java.util.ArrayList<>(events.size());
        for (IncomingEvent event : events) {
            results.add(takeOne(event));
        }
        return results;
    }

    private Result takeOne(IncomingEvent event) {
        Instant now = Instant.now();
        if (!markProcessed(event, now)) {
            return new Result(true, 0);
        }
        String nctId = null;
        TrialEvent trialEvent = null;
        if (EventTypes.TRIAL_TYPES.contains(event.type())) {
            trialEvent = readPayload(event, () -> EventFactsReader.trialEvent(event));
            nctId = trialEvent.nctId();
            if (trialEvent instanceof TrialRegistered registered) {
                trialFacts.save(TrialFact.of(registered.trial(), registered.sequence()), now);
            } else if (trialEvent instanceof TrialUpdated updated) {
                trialFacts.save(trialFacts.find(updated.nctId()).apply(updated), now);
            }
        }
        TrialEvent read = trialEvent;
        EventFacts facts = readPayload(event, () -> EventFactsReader.facts(event, read, trialFacts::find));
        if (nctId == null) {
            nctId = facts.nctId();
        }
        Instant occurredAt = event.payload().hasNonNull("occurredAt")
                ? readPayload(event, () -> Instant.parse(event.payload().get("occurredAt").asText()))
                : (event.time() != null ? event.time() : now);
        String body = payloads.forEvent(event.type(), event.id(), event.payload(), occurredAt);
        List<UUID> matched = index.matching(facts);
        int created = notifications.insertForEvent(matched, event.id(), event.type(), nctId, body,
                event.traceparent(), now);
        stream.append(event.id(), WebhookPayloads.payloadType(event.type()), facts, body, now);
        return new Result(false, created);
    }

    /**
     * Reads from the payload; a payload that does not read is poison (the same bytes fail the same way on every retry),
     * so it is dead-lettered rather than retried. EnvelopeCheck rejects such payloads first; this is the backstop.
     */
    private static <T> T readPayload(IncomingEvent event, Supplier<T> reading) {
        try {
            return reading.get();
        } catch (UncheckedIOException | DateTimeException e) {
            if (FailureClassifier.classify(e) == FailureKind.TRANSIENT) {
                throw e; // a lookup on the way failed, not the payload
            }
            throw new PoisonRecordException("unreadable", EventTypes.shortName(event.type()) + " " + event.id()
                    + " does not read: " + e.getMessage());
        }
    }

    private boolean markProcessed(IncomingEvent event, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into processed_event (event_id, topic, processed_at) "
                     + "values (?, ?, ?) on conflict (event_id) do nothing")) {
            ps.setString(1, event.id());
            ps.setString(2, event.topic());
            ps.setTimestamp(3, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark event processed", e);
        }
    }
}
