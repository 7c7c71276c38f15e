package org.trialwatch.registry.ctgov;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.registry.application.TrialField;
import org.trialwatch.registry.application.TrialService;
import org.trialwatch.registry.persistence.PostedResultRows;
import org.trialwatch.registry.persistence.SnapshotStore;
import org.trialwatch.registry.persistence.Trial;
import org.trialwatch.registry.persistence.TrialRows;

/** Records one study record in one transaction: the trial's changes, their events, and the record's snapshot. */
@ApplicationScoped
public class CtgovRecordApplier {

    public static final String RECORDED_BY = "ctgov-sync";

    private final TrialService trials;
    private final SnapshotStore snapshots;
    private final CtgovClient client;
    private final PostedResultRows postedResults;
    private final TrialRows rows;

    public CtgovRecordApplier(TrialService trials, SnapshotStore snapshots, CtgovClient client,
                              PostedResultRows postedResults, TrialRows rows) {
        this.trials = trials;
        this.snapshots = snapshots;
        this.client = client;
        this.postedResults = postedResults;
        this.rows = rows;
    }

    /** What applying one record did. */
    public record Applied(boolean trialChanged, int changes, boolean snapshotStored) {
    }

    @Transactional
    public Applied apply(CtgovStudy study, JsonNode record, SyncContext context) {
        Map<String, Object> provenance = provenance(study.nctId(), context);
        TrialService.SyncOutcome outcome = trials.applySync(study.nctId(),
                trial -> StudyDiff.plan(trial, study, postedResultIdentities(study.nctId()), provenance), RECORDED_BY);
        boolean stored = snapshots.storeIfChanged(study.nctId(), record, study.lastUpdatePostDate(),
                context.dataTimestamp(), context.runId());
        return new Applied(outcome.changedAnything(), outcome.changeCount(), stored);
    }

    /** Registers a trial from its record: every fact the record gives, each sourced; what it lacks stays unknown. */
    @Transactional
    public Trial register(CtgovStudy study, JsonNode record, SyncContext context, String curator) {
        Map<String, Object> provenance = provenance(study.nctId(), context);
        Trial trial = new Trial();
        trial.nctId = study.nctId();
        trial.overallStatus = study.overallStatus();
        trial.tumourTypes = List.of();
        Map<String, Object> sources = new LinkedHashMap<>();
        sources.put("overallStatus", provenance);
        for (Map.Entry<TrialField, JsonNode> e : study.facts().entrySet()) {
            e.getKey().write(trial, e.getKey().parse(e.getValue()));
            if (!e.getValue().isNull()) {
                sources.put(e.getKey().jsonName(), provenance);
            }
        }
        trial.factSources = sources;
        trials.register(trial, ChangeOrigin.CTGOV_SYNC, curator);
        if (!study.results().isEmpty()) {
            trials.postResults(trial.nctId, study.results(), ChangeOrigin.CTGOV_SYNC, RECORDED_BY);
            trial = rows.find(trial.nctId).orElseThrow(); // at the version the results moved it to
        }
        snapshots.storeIfChanged(study.nctId(), record, study.lastUpdatePostDate(), context.dataTimestamp(),
                context.runId());
        return trial;
    }

    private Map<String, Object> provenance(String nctId, SyncContext context) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", client.studyUrl(nctId));
        p.put("sourceKind", StudyDiff.SOURCE_KIND);
        p.put("asOf", context.asOf());
        return p;
    }

    private Set<String> postedResultIdentities(String nctId) {
        List<String> sources = postedResults.sources(nctId);
        Set<String> out = new HashSet<>();
        sources.forEach(s -> out.add(ResultsExtractor.identity(s)));
        return out;
    }
}
