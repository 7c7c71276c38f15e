package org.trialwatch.notification.application;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.EvidenceSummaryUpdated;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.notification.domain.matching.EventFacts;
import org.trialwatch.notification.persistence.TrialFact;

/** Turns a contract event plus what is known of its trial into the facts subscriptions are matched on. */
public final class EventFactsReader {

    private EventFactsReader() {
    }

    /** {@code known} gives the projection's facts of a trial (after this event was applied to it). */
    public static EventFacts facts(IncomingEvent event, Function<String, TrialFact> known) {
        return facts(event, EventTypes.EVIDENCE_SUMMARY_UPDATED.equals(event.type()) ? null : trialEvent(event), known);
    }

    /** As {@link #facts(IncomingEvent, Function)}, with the trial event already read from the payload (or null). */
    public static EventFacts facts(IncomingEvent event, TrialEvent trialEvent, Function<String, TrialFact> known) {
        String shortType = EventTypes.shortName(event.type());
        if (EventTypes.EVIDENCE_SUMMARY_UPDATED.equals(event.type())) {
            EvidenceSummaryUpdated summary = read(event, EvidenceSummaryUpdated.class);
            TrialFact cause = summary.causeNctId() == null ? TrialFact.unknown(null) : known.apply(summary.causeNctId());
            return new EventFacts(shortType, summary.causeNctId(), cause.tumourTypes(), cause.mechanism(),
                    cause.therapyClass(), null, null, summary.groupKey());
        }
        TrialFact fact = trialEvent instanceof TrialRegistered r
                ? TrialFact.of(r.trial(), r.sequence()) : known.apply(trialEvent.nctId());
        String previous = null;
        String next = null;
        if (trialEvent instanceof TrialStatusChanged change) {
            previous = change.previousStatus() == null ? null : change.previousStatus().name();
            next = change.newStatus().name();
        }
        return new EventFacts(shortType, trialEvent.nctId(), fact.tumourTypes(), fact.mechanism(), fact.therapyClass(),
                previous, next, null);
    }

    public static TrialEvent trialEvent(IncomingEvent event) {
        if (event.decoded() instanceof TrialEvent decoded) {
            return decoded;
        }
        try {
            return EventJson.readTrialEvent(event.type(), EventJson.mapper().writeValueAsBytes(event.payload()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(IncomingEvent event, Class<T> type) {
        if (type.isInstance(event.decoded())) {
            return type.cast(event.decoded());
        }
        try {
            return EventJson.mapper().treeToValue(event.payload(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
