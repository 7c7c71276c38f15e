package org.trialwatch.registry.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.FieldChange;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.domain.DuplicateTrialException;
import org.trialwatch.registry.domain.StatusChangeCommand;
import org.trialwatch.registry.domain.StatusTransitionPolicy;
import org.trialwatch.registry.domain.TrialEventFactory;
import org.trialwatch.registry.domain.TrialNotFoundException;
import org.trialwatch.registry.domain.VersionMismatchException;
import org.trialwatch.registry.messaging.TrialEventsOutbox;
import org.trialwatch.registry.persistence.PostedResultRecord;
import org.trialwatch.registry.persistence.PostedResultRows;
import org.trialwatch.registry.persistence.StatusChange;
import org.trialwatch.registry.persistence.StatusChangeRows;
import org.trialwatch.registry.persistence.Trial;
import org.trialwatch.registry.persistence.TrialRows;

/**
 * Records every change to a tracked trial. Each method is one transaction that updates the trial, appends its
 * history and writes the event to the outbox — all three commit together or not at all.
 */
@ApplicationScoped
public class TrialService {

    private static final Logger LOG = Logger.getLogger(TrialService.class);

    private final StatusTransitionPolicy policy = new StatusTransitionPolicy();
    private final TrialEventFactory events;
    private final TrialEventsOutbox outbox;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final TrialRows trials;
    private final StatusChangeRows statusChanges;
    private final PostedResultRows postedResults;

    public TrialService(TrialEventsOutbox outbox, Clock clock, MeterRegistry metrics, TrialRows trials,
                        StatusChangeRows statusChanges, PostedResultRows postedResults,
                        @org.eclipse.microprofile.config.inject.ConfigProperty(name = "trialwatch.events.source",
                                defaultValue = "/trial-registry-service") String eventSource) {
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
        this.trials = trials;
        this.statusChanges = statusChanges;
        this.postedResults = postedResults;
        this.events = new TrialEventFactory(eventSource);
    }

    /** Registers a new trial; its known status (if any) opens the history. */
    @Transactional
    public Trial register(Trial trial, ChangeOrigin origin, String recordedBy) {
        Instant now = clock.instant();
        trial.createdAt = now;
        trial.updatedAt = now;
        // version 1, as the ORM left a new trial (its insert, then the event sequence's update) and as the table's
        // default says: ETags clients hold and the walkthrough shows count from there
        trial.version = 1;
        long sequence = trial.nextEventSequence(); // the registration is the trial's first event, stored with it
        if (!trials.insert(trial)) {
            throw new DuplicateTrialException(trial.nctId);
        }
        TrialEvent event = events.registered(trial.snapshot(), sequence, origin, now);
        if (trial.overallStatus != null) {
            appendHistory(trial.nctId, null, trial.overallStatus, null,
                    "status as registered" + (origin == ChangeOrigin.IMPORT ? " (imported reading)" : ""),
                    origin, false, recordedBy, now, event.eventId());
        }
        outbox.append(event);
        metrics.counter("trialwatch_trials_registered_total", "origin", origin.name()).increment();
        LOG.debugf("registered %s (origin %s, status %s)", trial.nctId, origin, trial.overallStatus);
        return trial;
    }

    /** The trial's version after a status change, and the history row that records it. */
    public record StatusChangeResult(long version, StatusChange change) {
    }

    /**
     * Records a curator's status change in three statements (docs/performance.md): the version-checked update of the
     * trial, which returns the status it had; the history row; the outbox row. A broken rule throws after the update,
     * and the transaction undoes it.
     */
    @Transactional
    public StatusChangeResult changeStatus(StatusChangeCommand cmd) {
        Instant now = clock.instant();
        policy.requireValidRequest(cmd, now);
        StatusChangeRows.Moved moved = statusChanges.move(cmd.nctId(), cmd.expectedVersion(), cmd.newStatus(),
                policy.recordsWhyStopped(cmd.newStatus()), cmd.reason(), now)
                .orElseThrow(() -> missingOrStale(cmd.nctId(), cmd.expectedVersion()));
        TrialStatus previous = moved.previousStatus();
        policy.requireAllowed(previous, cmd, now);
        TrialEvent event = events.statusChanged(cmd.nctId(), moved.eventSequence(), previous, cmd.newStatus(),
                cmd.effectiveDate(), cmd.reason(), cmd.origin(), cmd.correction(), now);
        StatusChange change = statusChanges.append(cmd.nctId(), previous, cmd.newStatus(), cmd.effectiveDate(),
                cmd.reason(), cmd.origin(), cmd.correction(), cmd.recordedBy(), now, UUID.fromString(event.eventId()));
        outbox.append(event);
        metrics.counter("trialwatch_status_changes_total", "origin", cmd.origin().name(),
                "to", cmd.newStatus().name()).increment();
        // per-change lines are DEBUG: at 1,000 changes/s they would cost more than they tell; the history table is
        // the audit trail and OutboxRelay logs throughput every minute
        LOG.debugf("%s status %s -> %s by %s (%s%s)", cmd.nctId(), previous, cmd.newStatus(), cmd.recordedBy(),
                cmd.origin(), cmd.correction() ? ", correction" : "");
        return new StatusChangeResult(moved.version(), change);
    }

    private RuntimeException missingOrStale(String nctId, long expectedVersion) {
        Long current = statusChanges.currentVersion(nctId);
        return current == null ? new TrialNotFoundException(nctId) : new VersionMismatchException(expectedVersion, current);
    }

    /**
     * Applies field changes. Values equal to the current ones are not changes; when nothing changes, nothing is
     * written or published and the version stays.
     */
    @Transactional
    public Trial update(String nctId, long expectedVersion, Map<TrialField, JsonNode> requested, ChangeOrigin origin,
                        String recordedBy) {
        Trial trial = lockedAtVersion(nctId, expectedVersion);
        List<FieldChange> changes = new ArrayList<>();
        for (Map.Entry<TrialField, JsonNode> e : requested.entrySet()) {
            TrialField field = e.getKey();
            Object parsed = field.parse(e.getValue());
            JsonNode before = field.read(trial);
            field.write(trial, parsed);
            JsonNode after = field.read(trial);
            if (!Objects.equals(before, after)) {
                changes.add(new FieldChange(field.jsonName(), before, after));
            }
        }
        if (changes.isEmpty()) {
            return trial;
        }
        Instant now = clock.instant();
        trial.updatedAt = now;
        outbox.append(events.updated(trial.nctId, trial.nextEventSequence(), changes, origin, now));
        trials.update(trial);
        LOG.infof("%s updated by %s: %s", nctId, recordedBy, changes.stream().map(FieldChange::field).toList());
        return trial;
    }

    @Transactional
    public List<PostedResultRecord> postResults(String nctId, List<PostedResult> results, ChangeOrigin origin,
                                                String postedBy) {
        Trial trial = trials.lock(nctId).orElseThrow(() -> new TrialNotFoundException(nctId));
        Instant now = clock.instant();
        trial.updatedAt = now;
        TrialEvent event = events.resultsPosted(trial.nctId, trial.nextEventSequence(), results, origin, now);
        List<PostedResultRecord> stored = storeResults(nctId, results, postedBy, now, event.eventId());
        outbox.append(event);
        trials.update(trial);
        LOG.infof("%s: %d result(s) posted by %s", nctId, results.size(), postedBy);
        return stored;
    }

    /** What one sync of one trial recorded. */
    public record SyncOutcome(Trial trial, boolean statusChanged, List<FieldChange> fieldChanges, int resultsPosted,
                              boolean provenanceChanged) {
        public boolean changedAnything() {
            return statusChanged || !fieldChanges.isEmpty() || resultsPosted > 0 || provenanceChanged;
        }

        public int changeCount() {
            return (statusChanged ? 1 : 0) + fieldChanges.size() + resultsPosted;
        }
    }

    /**
     * Records what ClinicalTrials.gov says of one trial, in one transaction. The sync sends no If-Match: the row is
     * locked instead and {@code planner} works out the changes from the locked row, so a curator's concurrent edit is
     * either seen or waits. Events, in this order: the status change (origin CTGOV_SYNC; a change a curator could not
     * make is recorded anyway and flagged {@code correction=true}), one {@code trial.updated} with every field change,
     * one {@code trial.results-posted}. An empty plan writes and publishes nothing.
     */
    @Transactional
    public SyncOutcome applySync(String nctId, java.util.function.Function<Trial, SyncPlan> planner, String recordedBy) {
        Trial trial = trials.lock(nctId).orElseThrow(() -> new TrialNotFoundException(nctId));
        SyncPlan plan = planner.apply(trial);
        if (plan.isEmpty()) {
            return new SyncOutcome(trial, false, List.of(), 0, false);
        }
        Instant now = clock.instant();
        boolean statusChanged = false;
        if (plan.newStatus() != null && plan.newStatus() != trial.overallStatus) {
            TrialStatus previous = trial.overallStatus;
            trial.overallStatus = plan.newStatus();
            TrialEvent event = events.statusChanged(nctId, trial.nextEventSequence(), previous,
                    trial.overallStatus, plan.effectiveDate(), plan.statusReason(), ChangeOrigin.CTGOV_SYNC,
                    plan.statusCorrection(), now);
            appendHistory(nctId, previous, plan.newStatus(), plan.effectiveDate(), plan.statusReason(), ChangeOrigin.CTGOV_SYNC,
                    plan.statusCorrection(), recordedBy, now, event.eventId());
            outbox.append(event);
            metrics.counter("trialwatch_status_changes_total", "origin", ChangeOrigin.CTGOV_SYNC.name(),
                    "to", plan.newStatus().name()).increment();
            LOG.infof("%s status %s -> %s from ClinicalTrials.gov%s", nctId, previous, plan.newStatus(),
                    plan.statusCorrection() ? " (recorded although it breaks " + plan.overriddenRules() + ")" : "");
            statusChanged = true;
        }
        List<FieldChange> changes = new ArrayList<>();
        for (TrialField field : TrialField.values()) {
            JsonNode requested = plan.fields().get(field);
            if (requested == null) {
                continue;
            }
            JsonNode before = field.read(trial);
            field.write(trial, field.parse(requested));
            JsonNode after = field.read(trial);
            if (!Objects.equals(before, after)) {
                changes.add(new FieldChange(field.jsonName(), before, after));
            }
        }
        if (!changes.isEmpty()) {
            outbox.append(events.updated(nctId, trial.nextEventSequence(), changes, ChangeOrigin.CTGOV_SYNC, now));
            LOG.infof("%s updated from ClinicalTrials.gov: %s", nctId, changes.stream().map(FieldChange::field).toList());
        }
        if (!plan.results().isEmpty()) {
            TrialEvent event = events.resultsPosted(nctId, trial.nextEventSequence(), plan.results(),
                    ChangeOrigin.CTGOV_SYNC, now);
            storeResults(nctId, plan.results(), recordedBy, now, event.eventId());
            outbox.append(event);
            LOG.infof("%s: %d result(s) posted from ClinicalTrials.gov", nctId, plan.results().size());
        }
        boolean provenanceChanged = false;
        if (!plan.factSources().isEmpty()) {
            Map<String, Object> sources = new java.util.LinkedHashMap<>(trial.factSources == null ? Map.of() : trial.factSources);
            sources.putAll(plan.factSources());
            provenanceChanged = !sources.equals(trial.factSources);
            trial.factSources = sources;
        }
        trial.updatedAt = now;
        trials.update(trial);
        return new SyncOutcome(trial, statusChanged, List.copyOf(changes), plan.results().size(), provenanceChanged);
    }

    private List<PostedResultRecord> storeResults(String nctId, List<PostedResult> results, String postedBy,
                                                         Instant now, String eventId) {
        List<PostedResultRecord> stored = new ArrayList<>();
        for (PostedResult r : results) {
            PostedResultRecord row = new PostedResultRecord();
            row.nctId = nctId;
            row.endpoint = r.endpoint();
            row.arm = r.arm();
            row.value = r.value();
            row.unit = r.unit();
            row.ciLower = r.ci95() == null ? null : r.ci95().lower();
            row.ciUpper = r.ci95() == null ? null : r.ci95().upper();
            row.n = r.n();
            row.armRole = r.armRole();
            row.responders = r.responders();
            row.source = r.source();
            row.postedBy = postedBy;
            row.postedAt = now;
            row.eventId = UUID.fromString(eventId);
            stored.add(postedResults.insert(row));
        }
        return stored;
    }

    private Trial lockedAtVersion(String nctId, long expectedVersion) {
        // The row lock serialises concurrent writers of one trial: the loser sees the winner's version and gets 412.
        Trial trial = trials.lock(nctId).orElseThrow(() -> new TrialNotFoundException(nctId));
        if (trial.version != expectedVersion) {
            throw new VersionMismatchException(expectedVersion, trial.version);
        }
        return trial;
    }

    private StatusChange appendHistory(String nctId, TrialStatus previous, TrialStatus next, java.time.LocalDate effective,
                                       String reason, ChangeOrigin origin, boolean correction, String who, Instant at,
                                       String eventId) {
        return statusChanges.append(nctId, previous, next, effective, reason, origin, correction, who, at,
                UUID.fromString(eventId));
    }
}
