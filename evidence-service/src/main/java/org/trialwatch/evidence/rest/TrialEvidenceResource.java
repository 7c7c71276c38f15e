package org.trialwatch.evidence.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.persistence.EvidenceStore;
import org.trialwatch.evidence.domain.trial.TrialState;
import org.trialwatch.evidence.persistence.TrialStore;
import org.trialwatch.support.problem.FieldError;

/** The groups and evidence rows a trial touches. */
@Path("/api/trials/{nctId}/evidence")
@Produces(MediaType.APPLICATION_JSON)
public class TrialEvidenceResource {

    /** One group of the trial: why the trial is in it, and the evidence rows it shares with it. */
    public record TrialGroup(String groupKey, String why, List<String> rowIds) {
    }

    /** {@code tracked}: the registry announced the trial; {@code status} null: not verified. */
    public record TrialEvidence(String nctId, boolean tracked, String status, Long lastSequence,
                                List<TrialGroup> groups, List<EvidenceView> evidence) {
    }

    private final EvidenceStore evidence;
    private final TrialStore trials;

    public TrialEvidenceResource(EvidenceStore evidence, TrialStore trials) {
        this.evidence = evidence;
        this.trials = trials;
    }

    @GET
    @Operation(summary = "The groups a trial is in (with why) and the review's rows that name it")
    public TrialEvidence get(@PathParam("nctId") String nctId) {
        nctId = Params.canonicalNctId(nctId);
        if (!Params.isNctId(nctId)) {
            throw ProblemMappers.badRequest(List.of(new FieldError("nctId", "must look like NCT followed by 8 digits")));
        }
        Optional<TrialState> trial = trials.find(nctId);
        List<EvidenceRow> rows = evidence.find(new EvidenceStore.Filter(null, null, null, nctId, null, null, null));
        if (trial.isEmpty() && rows.isEmpty()) {
            throw ProblemMappers.notFound(nctId + " is neither tracked nor named by the review");
        }
        List<TrialGroup> groups = evidence.groupsOf("TRIAL", nctId).stream()
                .map(g -> new TrialGroup(g.groupKey(), g.why(),
                        evidence.membersOf(g.groupKey(), "ROW").stream().map(EvidenceStore.MemberRef::memberId).toList()))
                .toList();
        Map<String, List<EvidenceStore.MemberRef>> rowGroups = evidence.groupsOfRows(rows.stream().map(EvidenceRow::id).toList());
        return new TrialEvidence(nctId, trial.isPresent(), trial.map(TrialState::status).orElse(null),
                trial.map(TrialState::lastSequence).orElse(null), groups,
                rows.stream().map(r -> EvidenceView.of(r, rowGroups.getOrDefault(r.id(), List.of()))).toList());
    }
}
