package org.trialwatch.notification.application;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import org.trialwatch.events.EventTypes;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialUpdated;
import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.domain.matching.EventFacts;
import org.trialwatch.notification.delivery.webhook.WebhookPayloads;
import org.trialwatch.notification.persistence.StreamHistory;
import org.trialwatch.notification.persistence.NotificationStore;
import org.trialwatch.support.messaging.FailureClassifier;
import org.trialwatch.support.messaging.FailureKind;
import org.trialwatch.support.messaging.PoisonRecordException;
import org.trialwatch.notification.persistence.SubscriptionIndex;
import org.trialwatch.notification.persistence.TrialFact;
import org.trialwatch.notification.persistence.TrialFactStore;

/**
 * Takes accepted events in one transaction: marks their ce_ids processed (a redelivery stops here), updates the trial
 * projection, matches subscriptions through the index, writes their notifications and appends them to the stream.
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
    private final Event<NotificationsCreated> notificationsCreated;
    private final int refreshStatisticsAfter;

    public EventIntake(DataSource dataSource, TrialFactStore trialFacts, SubscriptionIndex index,
                       NotificationStore notifications, StreamHistory stream, NotificationSettings settings,
                       Event<NotificationsCreated> notificationsCreated) {
        this.notificationsCreated = notificationsCreated;
        this.dataSource = dataSource;
        this.trialFacts = trialFacts;
        this.index = index;
        this.notifications = notifications;
        this.stream = stream;
        this.payloads = new WebhookPayloads(settings.links().registryBaseUrl(), settings.links().evidenceBaseUrl());
        this.refreshStatisticsAfter = settings.delivery().refreshStatisticsAfter();
    }

    @Transactional
    public Result take(IncomingEvent event) {
        return takeAll(List.of(event)).get(0);
    }

    /**
     * Takes a consumer poll's events in one transaction (one commit for all, instead of one each), in order; a
     * failure rolls back all of them and the batch is taken again. Set-based where a batch can be: one statement marks
     * the events processed, one reads the trial facts they need, one matches all of them, one writes their
     * notifications and one appends them to the stream. The trial projection is advanced event by event in memory,
     * so a later event of the poll sees what an earlier one (a registration, an update) changed, as one at a time did.
     */
    @Transactional
    public List<Result> takeAll(List<IncomingEvent> events) {
        Instant now = Instant.now();
        Set<String> fresh = markProcessed(events, now);
        List<IncomingEvent> taken = new ArrayList<>();
        for (IncomingEvent event : events) {
            if (fresh.remove(event.id())) { // a ce_id twice in one poll: the second is a duplicate
                taken.add(event);
            }
        }
        List<TrialEvent> trialEvents = new ArrayList<>(taken.size());
        Set<String> nctIds = new LinkedHashSet<>();
        for (IncomingEvent event : taken) {
            TrialEvent trialEvent = EventTypes.TRIAL_TYPES.contains(event.type())
                    ? readPayload(event, () -> EventFactsReader.trialEvent(event)) : null;
            trialEvents.add(trialEvent);
            if (trialEvent != null) {
                nctIds.add(trialEvent.nctId());
            } else {
                // a summary is matched on the facts of the trial whose change caused it
                JsonNode cause = event.payload().get("causeNctId");
                if (cause != null && cause.isTextual()) {
                    nctIds.add(cause.asText());
                }
            }
        }
        Map<String, TrialFact> known = trialFacts.findAll(nctIds);
        List<TrialFact> saved = new ArrayList<>();
        List<EventFacts> facts = new ArrayList<>(taken.size());
        List<String> eventNctIds = new ArrayList<>(taken.size());
        List<String> bodies = new ArrayList<>(taken.size());
        for (int i = 0; i < taken.size(); i++) {
            IncomingEvent event = taken.get(i);
            TrialEvent trialEvent = trialEvents.get(i);
            if (trialEvent instanceof TrialRegistered registered) {
                saved.add(advance(known, TrialFact.of(registered.trial(), registered.sequence())));
            } else if (trialEvent instanceof TrialUpdated updated) {
                saved.add(advance(known, known.get(updated.nctId()).apply(updated)));
            }
            EventFacts eventFacts = readPayload(event, () -> EventFactsReader.facts(event, trialEvent,
                    nctId -> known.computeIfAbsent(nctId, trialFacts::find)));
            facts.add(eventFacts);
            eventNctIds.add(trialEvent != null ? trialEvent.nctId() : eventFacts.nctId());
            Instant occurredAt = event.payload().hasNonNull("occurredAt")
                    ? readPayload(event, () -> Instant.parse(event.payload().get("occurredAt").asText()))
                    : (event.time() != null ? event.time() : now);
            bodies.add(payloads.forEvent(event.type(), event.id(), event.payload(), occurredAt));
        }
        trialFacts.saveAll(saved, now);
        List<List<UUID>> matched = index.matchingAll(facts);
        List<NotificationStore.ForEvent> toNotify = new ArrayList<>(taken.size());
        List<StreamHistory.Appended> toStream = new ArrayList<>(taken.size());
        for (int i = 0; i < taken.size(); i++) {
            IncomingEvent event = taken.get(i);
            toNotify.add(new NotificationStore.ForEvent(event.id(), event.type(), eventNctIds.get(i), bodies.get(i),
                    event.traceparent(),
                    matched.get(i)));
            toStream.add(new StreamHistory.Appended(event.id(), WebhookPayloads.payloadType(event.type()),
                    facts.get(i), bodies.get(i)));
        }
        Map<String, Integer> created = notifications.insertForEvents(toNotify, now);
        stream.appendAll(toStream, now);
        int total = created.values().stream().mapToInt(Integer::intValue).sum();
        if (refreshStatisticsAfter > 0 && total >= refreshStatisticsAfter) {
            // a fan-out: the claims that follow are planned on statistics that include its due rows
            notifications.refreshStatistics();
        }
        if (total > 0) {
            // wakes the dispatcher when this transaction commits: sent now rather than at its next poll
            notificationsCreated.fire(new NotificationsCreated(total));
        }

        List<Result> results = new ArrayList<>(events.size());
        Set<String> takenIds = new HashSet<>();
        taken.forEach(e -> takenIds.add(e.id()));
        for (IncomingEvent event : events) {
            results.add(takenIds.remove(event.id())
                    ? new Result(false, created.getOrDefault(event.id(), 0)) : new Result(true, 0));
        }
        return results;
    }

    /**
     * The projection's facts of the trial after storing {@code next}, by the rule of {@link TrialFactStore#save}: a
     * later event of the trial applied already wins. Updates {@code known} and returns what to store.
     */
    private static TrialFact advance(Map<String, TrialFact> known, TrialFact next) {
        known.merge(next.nctId(), next, (stored, offered) -> stored.sequence() <= offered.sequence() ? offered : stored);
        return next;
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

    /** Marks the events' ce_ids processed in one statement; returns the ids that were not processed before. */
    private Set<String> markProcessed(List<IncomingEvent> events, Instant now) {
        Set<String> fresh = new HashSet<>();
        if (events.isEmpty()) {
            return fresh;
        }
        String[] ids = new String[events.size()];
        String[] topics = new String[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.get(i).id();
            topics[i] = events.get(i).topic();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into processed_event (event_id, topic, processed_at) "
                     + "select k.event_id, k.topic, ? from unnest(?::text[], ?::text[]) as k(event_id, topic) "
                     + "on conflict (event_id) do nothing returning event_id")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("text", ids));
            ps.setArray(3, c.createArrayOf("text", topics));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
            return fresh;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot mark event processed", e);
        }
    }
}
