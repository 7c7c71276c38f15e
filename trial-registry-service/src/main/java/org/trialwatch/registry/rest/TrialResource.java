package org.trialwatch.registry.rest;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.PostedResult;
import org.trialwatch.registry.application.TrialInput;
import org.trialwatch.registry.application.TrialService;
import org.trialwatch.registry.ctgov.CtgovRegistration;
import org.trialwatch.registry.domain.PostedResultRules;
import org.trialwatch.registry.domain.ResultsRejectedException;
import org.trialwatch.registry.domain.StatusChangeCommand;
import org.trialwatch.registry.domain.TrialNotFoundException;
import org.trialwatch.registry.persistence.PostedResultRecord;
import org.trialwatch.registry.persistence.PostedResultRows;
import org.trialwatch.registry.persistence.StatusChange;
import org.trialwatch.registry.persistence.StatusChangeRows;
import org.trialwatch.registry.persistence.Trial;
import org.trialwatch.registry.persistence.TrialRows;
import org.trialwatch.registry.persistence.TrialWrites;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.support.rest.RenderedPages;

@Path("/api/trials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials", description = "Tracked trials, their status history and posted results")
@Singleton // one instance, so one store of rendered list pages (Quarkus REST's default, said out loud)
public class TrialResource {

    /** At most this many bytes of rendered list pages are kept (a page of 200 trials is about 0.7 MB). */
    static final long LIST_CACHE_BYTES = 8L * 1024 * 1024;

    private final TrialService trials;
    private final TrialQuery query;
    private final SecurityIdentity identity;
    private final CtgovRegistration ctgov;
    private final ObjectMapper json;
    private final RenderedPages pages;
    private final TrialRows rows;
    private final StatusChangeRows statusChanges;
    private final PostedResultRows postedResults;

    static final String SYNC_OFF_NOTICE = "The ClinicalTrials.gov sync is off (TRIALWATCH_CTGOV_BASE_URL is not set): "
            + "this trial holds only the facts sent, and the others stay unknown until a curator PATCHes them or the "
            + "sync is configured.";

    public TrialResource(TrialService trials, TrialQuery query, SecurityIdentity identity, CtgovRegistration ctgov,
                         ObjectMapper json, TrialWrites writes, TrialRows rows, StatusChangeRows statusChanges,
                         PostedResultRows postedResults) {
        this.json = json;
        this.pages = new RenderedPages(writes::generation, LIST_CACHE_BYTES);
        this.trials = trials;
        this.query = query;
        this.identity = identity;
        this.ctgov = ctgov;
        this.rows = rows;
        this.statusChanges = statusChanges;
        this.postedResults = postedResults;
    }

    @GET
    @Operation(summary = "List tracked trials", description = "Filters combine with AND. Pages follow the 'next' cursor; "
            + "limit defaults to 50 and is capped at 200. status=NOT_VERIFIED lists trials whose status nobody verified. "
            + "Each page has an ETag: send it in If-None-Match to get 304 while the page is unchanged.")
    @APIResponse(responseCode = "200", description = "A page {items, next, limit}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrialPage.class)))
    @APIResponse(responseCode = "304", description = "The page is unchanged since the ETag sent in If-None-Match")
    public Response list(@QueryParam("tumourType") @Parameter(description = "BTC or PC") String tumourType,
                         @QueryParam("status") String status,
                         @QueryParam("phase") @Parameter(description = "ClinicalTrials.gov phase, e.g. PHASE2") String phase,
                         @QueryParam("target") @Parameter(description = "words of the mechanism/target, e.g. KRAS") String target,
                         @QueryParam("therapyClass") String therapyClass,
                         @QueryParam("q") @Parameter(description = "free text over ids, titles, regimen, mechanism, conditions") String q,
                         @QueryParam("cursor") String cursor,
                         @QueryParam("limit") String limit,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        TrialQuery.Filter filter = new TrialQuery.Filter(tumourType, status, phase, target, therapyClass, q, cursor, limit);
        // The dashboard asks for the same few pages over and over: each is rendered once per change of the trials
        // (or per second, for another replica's changes), then sent as stored bytes (ADR 0009).
        return pages.respond(filter, () -> render(query.list(filter)), ifNoneMatch);
    }

    private byte[] render(TrialPage page) {
        try {
            return json.writeValueAsBytes(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a trial page cannot be written as JSON", e);
        }
    }

    @GET
    @Path("{nctId}")
    @Operation(summary = "One trial, with an ETag (send If-None-Match to get 304 when unchanged)")
    public Response get(@PathParam("nctId") String nctId, @jakarta.ws.rs.core.Context Request request) {
        Trial trial = find(nctId);
        EntityTag tag = new EntityTag(String.valueOf(trial.version));
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        if (unchanged != null) {
            return unchanged.tag(tag).build();
        }
        return Response.ok(TrialView.of(trial)).tag(tag).build();
    }

    @GET
    @Path("{nctId}/history")
    @Operation(summary = "The trial's status history, oldest first", description = "A page {items, next, limit}: follow "
            + "the 'next' cursor while it is not null; limit defaults to 50 and is capped at 200.")
    public StatusChangeView.Page history(@PathParam("nctId") String nctId, @QueryParam("cursor") String cursor,
                                         @QueryParam("limit") String limit) {
        nctId = find(nctId).nctId;
        int size = Paging.limit(limit);
        List<StatusChange> rows = statusChanges.page(nctId, Paging.after(cursor), size + 1);
        boolean authors = AuthorVisibility.shownTo(identity);
        return new StatusChangeView.Page(rows.stream().limit(size).map(StatusChangeView::of)
                .map(view -> authors ? view : view.withoutAuthor()).toList(), Paging.next(rows, size, c -> c.id), size);
    }

    @GET
    @Path("{nctId}/results")
    @Operation(summary = "Efficacy results posted for the trial, oldest first", description = "A page {items, next, "
            + "limit}: follow the 'next' cursor while it is not null; limit defaults to 50 and is capped at 200.")
    public PostedResultView.Page results(@PathParam("nctId") String nctId, @QueryParam("cursor") String cursor,
                                         @QueryParam("limit") String limit) {
        nctId = find(nctId).nctId;
        int size = Paging.limit(limit);
        List<PostedResultRecord> rows = postedResults.page(nctId, Paging.after(cursor), size + 1);
        boolean authors = AuthorVisibility.shownTo(identity);
        return new PostedResultView.Page(rows.stream().limit(size).map(PostedResultView::of)
                .map(view -> authors ? view : view.withoutAuthor()).toList(), Paging.next(rows, size, r -> r.id), size);
    }

    @POST
    @RolesAllowed("curator")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Track a new trial", description = "nctId is required; unknown facts are left out or null. "
            + "A duplicate NCT id answers 409. Given only {\"nctId\"} while the ClinicalTrials.gov sync is configured, "
            + "the trial is filled from its ClinicalTrials.gov record (422 when the registry has no such study, 503 "
            + "when it cannot be reached).")
    @RequestBody(description = "nctId, optional overallStatus, and any of the fields a PATCH accepts")
    @APIResponse(responseCode = "201", description = "Tracked: the trial, with an ETag and its Location; with the sync "
            + "off, a 'notice' says the facts not sent stay unknown until a curator or the sync fills them")
    public Response register(ObjectNode body) {
        Trial trial;
        if (ctgov.enabled() && body != null && body.size() == 1 && body.path("nctId").isTextual()) {
            trial = ctgov.register(TrialInput.requireNctId(body.path("nctId").asText(), "nctId"), who());
        } else {
            trial = trials.register(TrialInput.newTrial(body), ChangeOrigin.CURATOR, who());
        }
        ObjectNode answer = json.valueToTree(TrialView.of(trial));
        if (!ctgov.enabled()) {
            // Without the sync nothing will ever fill what the curator did not send: say so rather than leave a
            // newcomer wondering why the new trial has no title.
            answer.put("notice", SYNC_OFF_NOTICE);
        }
        return Response.created(URI.create("/api/trials/" + trial.nctId)).tag(String.valueOf(trial.version))
                .entity(answer).build();
    }

    @POST
    @Path("{nctId}/status-changes")
    @RolesAllowed("curator")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Record a status change", description = "If-Match must carry the trial's current ETag "
            + "(missing: 428, stale: 412). A transition that breaks a rule answers 422 naming the rule.")
    @APIResponse(responseCode = "201", description = "Recorded: the status change, with the trial's new ETag")
    public Response changeStatus(@PathParam("nctId") String nctId,
                                 @HeaderParam("If-Match") String ifMatch,
                                 @Valid @NotNull StatusChangeRequest body) {
        nctId = TrialInput.requireNctId(nctId, "nctId");
        long expected = IfMatch.version(ifMatch);
        TrialService.StatusChangeResult recorded = trials.changeStatus(new StatusChangeCommand(nctId, expected,
                body.newStatus(), body.effectiveDate(), blankToNull(body.reason()),
                Boolean.TRUE.equals(body.correction()), ChangeOrigin.CURATOR, who()));
        return Response.created(URI.create("/api/trials/" + nctId + "/history"))
                .tag(String.valueOf(recorded.version())).entity(StatusChangeView.of(recorded.change())).build();
    }

    @PATCH
    @Path("{nctId}")
    @RolesAllowed("curator")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Change other fields of a trial (JSON merge patch; null makes a field unknown)",
            description = "If-Match as for status changes. Emits trial.updated with [{field, from, to}] when something changed.")
    public Response update(@PathParam("nctId") String nctId, @HeaderParam("If-Match") String ifMatch, ObjectNode body) {
        nctId = TrialInput.requireNctId(nctId, "nctId");
        long expected = IfMatch.version(ifMatch);
        Trial trial = trials.update(nctId, expected, TrialInput.patch(body), ChangeOrigin.CURATOR, who());
        return Response.ok(TrialView.of(trial)).tag(String.valueOf(trial.version)).build();
    }

    @POST
    @Path("{nctId}/results")
    @RolesAllowed("curator")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Post efficacy results (OS, PFS, ORR, DCR, DOR, HR) with their source and arm role; emits "
            + "trial.results-posted. 422 when a result cannot be true: n < 1, responders outside 0–n, a percentage outside "
            + "0–100, a negative duration, an interval that does not contain its value, or no arm role")
    @APIResponse(responseCode = "201", description = "Stored: the results as recorded")
    public Response postResults(@PathParam("nctId") String nctId, @Valid @NotNull ResultsRequest body) {
        nctId = TrialInput.requireNctId(nctId, "nctId");
        List<PostedResult> results = body.results().stream().map(TrialResource::toPostedResult).toList();
        List<FieldError> broken = PostedResultRules.check(results);
        if (!broken.isEmpty()) {
            throw new ResultsRejectedException(broken);
        }
        List<PostedResultRecord> stored = trials.postResults(nctId, results, ChangeOrigin.CURATOR, who());
        return Response.created(URI.create("/api/trials/" + nctId + "/results"))
                .entity(stored.stream().map(PostedResultView::of).toList()).build();
    }

    private static PostedResult toPostedResult(ResultsRequest.Result r) {
        PostedResult.ConfidenceInterval ci = r.ci95() == null ? null
                : new PostedResult.ConfidenceInterval(r.ci95().lower(), r.ci95().upper());
        return new PostedResult(r.endpoint(), blankToNull(r.arm()), r.value(), blankToNull(r.unit()), ci, r.n(),
                r.source().strip(), r.armRole(), r.responders());
    }

    private Trial find(String nctId) {
        nctId = TrialInput.requireNctId(nctId, "nctId");
        String id = nctId;
        return rows.find(id).orElseThrow(() -> new TrialNotFoundException(id));
    }

    private String who() {
        return identity.getPrincipal().getName();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
