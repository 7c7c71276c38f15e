package org.trialwatch.notification.rest;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.domain.matching.FilterValidation;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.domain.stream.StreamEntry;
import org.trialwatch.notification.application.StreamFeed;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.problem.ProblemException;

/**
 * The live stream for dashboards: Server-Sent Events with the same filters as a subscription (query parameters,
 * repeatable), an {@code id:} on every event so a reconnect with Last-Event-ID resumes from the recent history, and
 * comment-line heartbeats that keep proxies from closing an idle connection. A client that missed more than the
 * stream keeps gets a {@code reset} event (reload the state, then go on from its id); a client that does not read is
 * cut off once its queue is full; a replica at its connection cap answers 429.
 */
@Path("/api/stream")
@RolesAllowed({Caller.SUBSCRIBER, Caller.OPERATOR})
public class StreamResource {

    /** How long a client refused for a full replica is asked to wait (its EventSource retries anyway). */
    private static final int RETRY_FULL_STREAM_AFTER_SECONDS = 5;

    private final StreamFeed feed;
    private final NotificationSettings settings;
    private final Caller caller;

    public StreamResource(StreamFeed feed, NotificationSettings settings, Caller caller) {
        this.caller = caller;
        this.feed = feed;
        this.settings = settings;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventIdHeader,
                                          @QueryParam("lastEventId") String lastEventIdParam,
                                          @QueryParam("nctId") List<String> nctIds,
                                          @QueryParam("tumourType") List<String> tumourTypes,
                                          @QueryParam("mechanism") List<String> mechanisms,
                                          @QueryParam("therapyClass") List<String> therapyClasses,
                                          @QueryParam("eventType") List<String> eventTypes,
                                          @QueryParam("statusTransition") List<String> statusTransitions,
                                          @QueryParam("evidenceGroup") List<String> evidenceGroups) {
        SubscriptionFilter filter = new SubscriptionFilter(nctIds, tumourTypes, mechanisms, therapyClasses, eventTypes,
                statusTransitions, evidenceGroups);
        List<FieldError> errors = new ArrayList<>(FilterValidation.errors(filter));
        Long lastEventId = null;
        String raw = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam;
        if (raw != null && !raw.isBlank()) {
            try {
                lastEventId = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                errors.add(new FieldError("Last-Event-ID", "not an event id of this stream"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemMappers.invalid(errors);
        }
        Multi<StreamEntry> entries;
        try {
            entries = feed.open(caller.streamOwner(), lastEventId, filter);
        } catch (StreamFeed.StreamFullException e) {
            throw ProblemException.tooManyRequests(e.getMessage() + "; try again later",
                    RETRY_FULL_STREAM_AFTER_SECONDS);
        }
        Multi<OutboundSseEvent> events = entries.map(e -> toSse(sse, e));
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(settings.stream().heartbeat())
                .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(events, heartbeats);
    }

    private static OutboundSseEvent toSse(Sse sse, StreamEntry entry) {
        if (entry.isReset()) {
            return sse.newEventBuilder().id(Long.toString(entry.id())).name(StreamEntry.RESET)
                    .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, entry.body()).build();
        }
        return sse.newEventBuilder().id(Long.toString(entry.id())).name(entry.type())
                .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, entry.body()).build();
    }
}
