package org.trialwatch.registry.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.trialwatch.registry.ctgov.CtgovSync;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.persistence.SyncRun;
import org.trialwatch.registry.persistence.SyncRunRows;

@Path("/api/sync/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sync", description = "Runs of the ClinicalTrials.gov sync")
public class SyncRunResource {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final CtgovSync sync;
    private final SecurityIdentity identity;

    private final SyncRunRows runs;

    public SyncRunResource(CtgovSync sync, SecurityIdentity identity, SyncRunRows runs) {
        this.sync = sync;
        this.identity = identity;
        this.runs = runs;
    }

    @GET
    @Operation(summary = "Sync runs, newest first", description = "Follow 'next' (a cursor) for older runs; limit defaults "
            + "to 20, at most 100.")
    public SyncRunView.Page list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        int size;
        try {
            size = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            size = 0; // not a number: the same 400 as one out of range, rather than JAX-RS's 404
        }
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        long before = Long.MAX_VALUE;
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("cursor", "not a cursor from a previous page");
            }
        }
        List<SyncRun> rows = runs.page(before, size + 1);
        String next = rows.size() > size ? String.valueOf(rows.get(size - 1).id) : null;
        boolean authors = AuthorVisibility.shownTo(identity);
        return new SyncRunView.Page(rows.stream().limit(size).map(SyncRunView::of)
                .map(view -> authors ? view : view.withoutAuthor()).toList(), next, size);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One sync run")
    public SyncRunView get(@PathParam("id") String id) {
        SyncRun run;
        try {
            run = runs.find(Long.parseLong(id)).orElse(null);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("id", "must be a run number");
        }
        if (run == null) {
            throw new jakarta.ws.rs.NotFoundException("no sync run " + id);
        }
        SyncRunView view = SyncRunView.of(run);
        return AuthorVisibility.shownTo(identity) ? view : view.withoutAuthor();
    }

    @POST
    @RolesAllowed("curator")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Start a sync run now", description = "202 with the run id; the run goes on in the background. "
            + "409 while another run is going, 503 when the sync is not configured.")
    @APIResponse(responseCode = "202", description = "Started: {runId, state, links}")
    public Response trigger() {
        long runId = sync.trigger("MANUAL", identity.getPrincipal().getName());
        return Response.accepted(Map.of("runId", runId, "state", SyncRun.RUNNING,
                        "links", Map.of("self", "/api/sync/runs/" + runId)))
                .location(URI.create("/api/sync/runs/" + runId)).build();
    }
}
