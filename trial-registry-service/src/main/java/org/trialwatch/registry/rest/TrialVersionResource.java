package org.trialwatch.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.trialwatch.events.FieldChange;
import org.trialwatch.registry.application.TrialInput;
import org.trialwatch.registry.ctgov.CtgovClient;
import org.trialwatch.registry.ctgov.CtgovStudy;
import org.trialwatch.registry.ctgov.StudyDiff;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.domain.TrialNotFoundException;
import org.trialwatch.registry.persistence.RegistrySnapshot;
import org.trialwatch.registry.persistence.SnapshotCodec;
import org.trialwatch.registry.persistence.SnapshotStore;
import org.trialwatch.registry.persistence.TrialRows;

@Path("/api/trials/{nctId}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials")
public class TrialVersionResource {

    private final SnapshotStore snapshots;
    private final CtgovClient client;

    private final TrialRows trials;

    public TrialVersionResource(SnapshotStore snapshots, CtgovClient client, TrialRows trials) {
        this.snapshots = snapshots;
        this.client = client;
        this.trials = trials;
    }

    /** One stored version of the trial's ClinicalTrials.gov record. */
    public record VersionView(int version, String lastUpdatePostDate, String dataTimestamp, Instant fetchedAt,
                              String sha256, Long syncRunId, Map<String, String> links) {
        static VersionView of(RegistrySnapshot s) {
            return new VersionView(s.versionNo, s.lastUpdatePostDate, s.dataTimestamp, s.fetchedAt, s.contentSha256,
                    s.syncRunId, Map.of("record", "/api/trials/" + s.nctId + "/versions/" + s.versionNo));
        }
    }

    /** One page of the record's versions, oldest first; {@code next} is the cursor of the following page. */
    public record Page(List<VersionView> items, String next, int limit) {
    }

    public record VersionDiff(String nctId, VersionView from, VersionView to, List<FieldChange> changes) {
    }

    @GET
    @Operation(summary = "The trial's ClinicalTrials.gov record versions, oldest first",
            description = "A version is stored each time the sync fetches a record that differs from the last one. "
                    + "A page {items, next, limit}: follow the 'next' cursor while it is not null; limit defaults to 50 "
                    + "and is capped at 200.")
    public Page list(@PathParam("nctId") String nctId, @QueryParam("cursor") String cursor,
                     @QueryParam("limit") String limit) {
        nctId = requireTrial(nctId);
        int size = Paging.limit(limit);
        long after = Paging.after(cursor);
        List<RegistrySnapshot> rows = snapshots.versions(nctId, after > Integer.MAX_VALUE ? Integer.MAX_VALUE
                : (int) Math.max(after, 0), size + 1);
        return new Page(rows.stream().limit(size).map(VersionView::of).toList(), Paging.next(rows, size, s -> s.versionNo),
                size);
    }

    @GET
    @Path("{version}")
    @Operation(summary = "One version of the record, as fetched (the fields the sync asks for)")
    public JsonNode record(@PathParam("nctId") String nctId, @PathParam("version") String version) {
        nctId = requireTrial(nctId);
        return SnapshotCodec.read(find(nctId, version, "version").documentGzip);
    }

    @GET
    @Path("{a}/diff/{b}")
    @Operation(summary = "Field-level differences between two versions of the record",
            description = "Fields named as in the trial (overallStatus, enrollmentCount, ...); postedResults counts results.")
    public VersionDiff diff(@PathParam("nctId") String nctId, @PathParam("a") String a, @PathParam("b") String b) {
        nctId = requireTrial(nctId);
        RegistrySnapshot from = find(nctId, a, "a");
        RegistrySnapshot to = find(nctId, b, "b");
        String url = client.studyUrl(nctId);
        CtgovStudy before = CtgovStudy.parse(SnapshotCodec.read(from.documentGzip), url);
        CtgovStudy after = CtgovStudy.parse(SnapshotCodec.read(to.documentGzip), url);
        return new VersionDiff(nctId, VersionView.of(from), VersionView.of(to), StudyDiff.between(before, after));
    }

    private RegistrySnapshot find(String nctId, String version, String param) {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(param, "must be a version number");
        }
        RegistrySnapshot s = snapshots.version(nctId, number);
        if (s == null) {
            throw new NotFoundException("no version " + number + " of " + nctId);
        }
        return s;
    }

    private String requireTrial(String nctId) {
        String canonical = TrialInput.requireNctId(nctId, "nctId");
        if (!trials.exists(canonical)) {
            throw new TrialNotFoundException(canonical);
        }
        return canonical;
    }
}
