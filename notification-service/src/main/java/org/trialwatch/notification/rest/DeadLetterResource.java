package org.trialwatch.notification.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.trialwatch.notification.delivery.DeliveryLog;
import org.trialwatch.notification.delivery.NotificationStore;
import org.trialwatch.notification.matching.FieldError;

/** Operators' view of dead letters across all teams, and their bulk replay by time range. */
@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class DeadLetterResource {

    public record ReplayRange(String from, String to) {
    }

    private final NotificationStore notifications;

    public DeadLetterResource(NotificationStore notifications) {
        this.notifications = notifications;
    }

    @GET
    public List<DeliveryLog> list(@QueryParam("from") String from, @QueryParam("to") String to,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        Instant[] range = range(from, to);
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid(List.of(new FieldError("limit", "between 1 and 1000")));
        }
        return notifications.deadLetters(range[0], range[1], limit);
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> replay(ReplayRange body) {
        if (body == null) {
            throw ProblemException.invalid(List.of(new FieldError("body", "is required: {from, to}")));
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
            throw ProblemException.invalid(errors);
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
