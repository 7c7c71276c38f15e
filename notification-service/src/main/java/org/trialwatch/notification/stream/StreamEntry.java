package org.trialwatch.notification.stream;

import org.trialwatch.notification.matching.EventFacts;

/** One event of the live stream: its stream id (the SSE {@code id:}), the facts to filter on, the payload. */
public record StreamEntry(long id, String type, EventFacts facts, String body) {
}
