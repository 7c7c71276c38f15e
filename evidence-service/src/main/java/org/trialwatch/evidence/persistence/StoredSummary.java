package org.trialwatch.evidence.persistence;

import java.time.Instant;

/** A group summary as stored: its content and latest change as JSON text, and its version. */
public record StoredSummary(String groupKey, long version, String contentJson, String latestChangeJson, Instant updatedAt) {
}
