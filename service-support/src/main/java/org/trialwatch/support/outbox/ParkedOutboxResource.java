package org.trialwatch.support.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import io.quarkus.narayana.jta.QuarkusTransaction;

import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.problem.Problem;

/**
 * Operators' view of parked outbox rows: the list (with the reason and how many later events of the key wait behind
 * each), and a retry that puts one back in line with a fresh count of attempts. Role {@code operator}.
 */
@Path("/api/outbox/parked")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
public class ParkedOutboxResource {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;

    private final OutboxRows rows;
    private final OutboxSignal signal;
    private final OutboxDestination destination;

    public ParkedOutboxResource(OutboxRows rows, OutboxSignal signal, OutboxDestination destination) {
        this.rows = rows;
        this.signal = signal;
        this.destination = destination;
    }

    /**
     * One page of parked rows, oldest first, in the envelope every list has ({@code items}, {@code next},
     * {@code limit}); {@code next} is the cursor of the following page, null on the last.
     */
    public record ParkedList(String topic, List<OutboxRows.Parked> items, String next, int limit) {
    }

    @GET
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        int max = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > MAX_LIMIT) {
                return problem(400, "invalid-parameter", "Invalid parameter", "limit must be a whole number from 1 to "
                        + MAX_LIMIT, uri, "limit", "not a whole number from 1 to " + MAX_LIMIT);
            }
        }
        long after = 0;
        if (cursor != null) {
            after = decodeCursor(cursor);
            if (after < 0) {
                return problem(400, "invalid-parameter", "Invalid parameter", "cursor is not one this API gave out; use "
                        + "the 'next' value of a page", uri, "cursor", "not a cursor from a previous page");
            }
        }
        int n = max;
        long start = after;
        List<OutboxRows.ParkedRow> found = QuarkusTransaction.requiringNew().call(() -> rows.parked(start, n + 1));
        String next = found.size() > n ? encodeCursor(found.get(n - 1).position()) : null;
        return Response.ok(new ParkedList(destination.topic(),
                found.stream().limit(n).map(OutboxRows.ParkedRow::parked).toList(), next, n)).build();
    }

    private static String encodeCursor(long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names, or -1 when the text is not a cursor this API gave out. */
    private static long decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith("after:")) {
                long position = Long.parseLong(raw.substring("after:".length()));
                return position >= 0 ? position : -1;
            }
        } catch (IllegalArgumentException e) {
            // not base64, or not a number after the prefix
        }
        return -1;
    }

    @POST
    @Path("/{eventId}/retry")
    public Response retry(@PathParam("eventId") String eventId, @Context UriInfo uri) {
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            return problem(400, "invalid-parameter", "Invalid parameter", "eventId must be a UUID (the event's ce_id)",
                    uri, "eventId", "not a UUID");
        }
        boolean unparked = QuarkusTransaction.requiringNew().call(() -> rows.unpark(id));
        if (!unparked) {
            return problem(404, "not-found", "Not found", "no parked outbox event " + id
                    + " (never parked, already retried, or sent)", uri, null, null);
        }
        signal.wake();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", id.toString());
        body.put("status", "queued");
        return Response.accepted(body).build();
    }

    private static Response problem(int status, String slug, String title, String detail, UriInfo uri, String field,
                                    String why) {
        // instance is the path alone here, as it always was for this resource; errors is always listed
        return Problem.of(slug, title, status, detail).at(uri.getRequestUri().getRawPath())
                .withErrors(field == null ? List.of() : List.of(new FieldError(field, why))).toResponse();
    }
}
