package org.trialwatch.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A group summary changed. {@code sequence} is the summary's new version. {@code changes} says what moved
 * (e.g. {@code trackedByStatus.RECRUITING} 3 → 2); {@code causeEventId}/{@code causeNctId} name the trial event behind it.
 */
public record EvidenceSummaryUpdated(String eventId, String groupKey, long sequence, Instant occurredAt, String source,
                                     String causeEventId, String causeNctId, List<Change> changes) {

    public record Change(String field, JsonNode from, JsonNode to, String description) {
    }
}
