package org.trialwatch.notification.domain.stream;

import org.trialwatch.notification.domain.matching.EventFacts;

/**
 * One event of the live stream: its stream id (the SSE {@code id:}), the facts to filter on, the payload. A
 * {@linkplain #reset reset} entry has no facts: it goes to every client it is meant for, whatever the filter.
 */
public record StreamEntry(long id, String type, EventFacts facts, String body) {

    public static final String RESET = "reset";

    /**
     * Tells a resuming client that what it missed is no longer all kept: it should reload its state (REST) and go on
     * from {@code resumeFrom}, the id this entry carries.
     */
    public static StreamEntry reset(long lastEventId, long resumeFrom, String reason) {
        String body = "{\"reason\":\"" + reason + "\",\"lastEventId\":" + lastEventId + ",\"resumeFrom\":" + resumeFrom
                + "}";
        return new StreamEntry(resumeFrom, RESET, null, body);
    }

    public boolean isReset() {
        return facts == null && RESET.equals(type);
    }
}
