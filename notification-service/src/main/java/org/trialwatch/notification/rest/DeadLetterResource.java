package org.trialwatch.notification.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.trialwatch.notification.domain.delivery.DeliveryLog;
import org.trialwatch.notification.persistence.NotificationStore;
import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.notification.persistence.DeliveryLogStore;

/** Operators' view of dead letters across all teams, and their bulk replay by time range. */
@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class DeadLetterResource {

    public record ReplayRange(String from, String to) {
    }

    private final DeliveryLogStore notifications;

    public DeadLetterResource(DeliveryLogStore notifications) {
        this.notifications = notifications;
    }

    @GET
    @Operation(summary = "Dead letters of every team, newest first", description = "A page {items, next, limit}: follow "
            + "the 'next' cursor while it is not null; limit from 1 to 200, 50 when not given. from/to (ISO-8601 "
            + "instants) bound when they were dead-lettered: [from, to).")
    public Paging.Page<DeliveryLog> list(@QueryParam("from") String from, @QueryParam("to") String to,
                                         @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        List<FieldError> errors = new ArrayList<>();
        int size = Paging.limit(limit, errors);
        SubscriptionStore.Cursor after = Paging.cursor(cursor, errors);
        if (!errors.isEmpty()) {
            throw ProblemMappers.invalid(errors);
        }
        Instant[] range = range(from, to);
        List<DeliveryLog> found = notifications.deadLetters(range[0], range[1],
                after == null ? null : new DeliveryLogStore.After(after.createdAt(), after.id()), size + 1);
        List<DeliveryLog> items = found.stream().limit(size).toList();
        return new Paging.Page<>(items, found.size() > size ? cursorAfter(items.get(size - 1)) : null, size);
    }

    /** The cursor of the page that follows {@code last} in a list of notifications (newest first). */
    static String cursorAfter(DeliveryLog last) {
        return new SubscriptionStore.Cursor(last.createdAt(), last.notificationId()).text();
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> replay(ReplayRange body) {
        if (body == null) {
            throw ProblemMappers.invalid(List.of(new FieldError("body", "is required: {from, to}")));
        }
        Instant[] range = range(body.from(), body.to());
        int replayed = notifications.replayDead(range[0], range[1], Instant.now());
        return Map.of("from", range[0], "to", range[1], "replayed", replayed);
    }

    /** [from, to): from defaults to the epoch, to to now. */
    private static Instant[] range(String from, String to) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = parse("from", from, Instant.EPOCH, errors);
        Instant end = parse("to", to, Instant.now(), errors);
        if (errors.isEmpty() && !start.isBefore(end)) {
            errors.add(new FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw ProblemMappers.invalid(errors);
        }
        return new Instant[] {start, end};
    }

    private static Instant parse(String field, String value, Instant fallback, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "not an ISO-8601 instant such as 2026-11-26T10:00:00Z"));
            return fallback;
        }
    }
}
