package org.trialwatch.evidence.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.FieldChange;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialResultsPosted;
import org.trialwatch.events.TrialSnapshot;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.events.TrialUpdated;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.grouping.Membership;
import org.trialwatch.evidence.domain.summary.PostedReadout;
import org.trialwatch.evidence.domain.trial.SequenceGuard;
import org.trialwatch.evidence.domain.trial.TrialState;
import org.trialwatch.evidence.domain.trial.UnappliableEventException;
import org.trialwatch.evidence.persistence.EvidenceStore;
import org.trialwatch.evidence.persistence.ProcessedEventStore;
import org.trialwatch.evidence.persistence.TrialStore;

/**
 * Applies trial events, one at a time or a transaction's worth in order: the processed-event row, the trial's new
 * state and last sequence, its group memberships, the recomputed summaries of the groups it left or joined or is in,
 * and their outbox rows (one summary version per event and group: the notification service matches a summary-updated
 * by the trial that caused it). For several events, what can be read once is read once ({@link #prepare}).
 */
@ApplicationScoped
public class TrialEventApplier {

    private static final Logger LOG = Logger.getLogger(TrialEventApplier.class);

    public enum Outcome { APPLIED, APPLIED_AFTER_GAP, DUPLICATE, STALE }

    /** The outcome and the groups that got a new summary version. */
    public record Result(Outcome outcome, List<String> groupsChanged) {
    }

    private final ProcessedEventStore processed;
    private final TrialStore trials;
    private final EvidenceStore evidence;
    private final GroupClassifier classifier;
    private final SummaryRecorder recorder;

    public TrialEventApplier(ProcessedEventStore processed, TrialStore trials, EvidenceStore evidence,
                             GroupClassifier classifier, SummaryRecorder recorder) {
        this.processed = processed;
        this.trials = trials;
        this.evidence = evidence;
        this.classifier = classifier;
        this.recorder = recorder;
    }

    /** A trial event with the CloudEvent id it is deduplicated by. */
    public record Incoming(String eventId, TrialEvent event) {
    }

    /**
     * What a transaction of several events reads once, up front, instead of once per event: which of them are new
     * (their processed-event rows inserted in one statement), their trials (locked in one statement) and those trials'
     * groups. Events are then applied one by one, in order, and keep it current. Valid only in the transaction that
     * made it.
     */
    public static final class Batch {
        private final Set<String> fresh;
        private final Map<String, TrialState> trials;
        private final Map<String, List<EvidenceStore.MemberRef>> groups;
        private final SummaryRecorder.Pending summaries;

        private Batch(Set<String> fresh, Map<String, TrialState> trials,
                      Map<String, List<EvidenceStore.MemberRef>> groups, SummaryRecorder.Pending summaries) {
            this.fresh = fresh;
            this.trials = trials;
            this.groups = groups;
            this.summaries = summaries;
        }

        /** True the first time an event id recorded by this batch is asked for; a redelivery or repeat is false. */
        private boolean claim(String eventId) {
            return fresh.remove(eventId);
        }
    }

    /**
     * Records the events as processed and reads their trials and groups, in three statements whatever their number.
     * What the batch's events change is partly kept in memory: {@link #finish} writes it, before the transaction ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Batch prepare(List<Incoming> events) {
        Instant now = Instant.now();
        Set<String> fresh = processed.recordAll(events.stream().map(e -> new ProcessedEventStore.Incoming(e.eventId(),
                e.event().type(), e.event().nctId(), e.event().sequence())).toList(), Outcome.APPLIED.name(), now);
        Set<String> nctIds = new TreeSet<>();
        events.forEach(e -> nctIds.add(e.event().nctId()));
        Map<String, List<EvidenceStore.MemberRef>> groups = evidence.groupsOfTrials(nctIds);
        Set<String> groupKeys = new TreeSet<>();
        groups.values().forEach(refs -> refs.forEach(m -> groupKeys.add(m.groupKey())));
        return new Batch(fresh, trials.lockAll(nctIds), groups, recorder.begin(nctIds, groupKeys));
    }

    /** Writes what the batch's events left in memory (trial states, summary versions, their events): the last step. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(Batch batch) {
        recorder.flush(batch.summaries);
    }

    /** Applies one event in a transaction of its own. */
    @Transactional
    public Result apply(String eventId, TrialEvent event) {
        Batch batch = prepare(List.of(new Incoming(eventId, event)));
        Result result = apply(batch, eventId, event);
        finish(batch);
        return result;
    }

    /**
     * Applies one event of a {@link #prepare prepared} batch, in the batch's transaction; the batch's events must be
     * applied in the order they were consumed, and the batch {@link #finish finished} after the last.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Result apply(Batch batch, String eventId, TrialEvent event) {
        Instant now = Instant.now();
        if (!batch.claim(eventId)) {
            return new Result(Outcome.DUPLICATE, List.of());
        }
        boolean firstSeen = !batch.trials.containsKey(event.nctId());
        TrialState current = batch.trials.getOrDefault(event.nctId(), TrialState.unknown(event.nctId()));
        SequenceGuard.Decision decision = SequenceGuard.decide(current.lastSequence(), event.sequence());
        if (decision.verdict() == SequenceGuard.Verdict.STALE) {
            processed.setOutcome(eventId, Outcome.STALE.name());
            LOG.infof("ignored stale %s of %s: sequence %d, last applied %d", event.type(), event.nctId(),
                    event.sequence(), current.lastSequence());
            return new Result(Outcome.STALE, List.of());
        }
        Outcome outcome = Outcome.APPLIED;
        if (decision.verdict() == SequenceGuard.Verdict.APPLY_AFTER_GAP) {
            outcome = Outcome.APPLIED_AFTER_GAP;
            processed.setOutcome(eventId, outcome.name());
            LOG.warnf("sequence gap for %s: %d event(s) missing before sequence %d (last applied %d); applying it",
                    event.nctId(), decision.missing(), event.sequence(), current.lastSequence());
        }

        TreeSet<String> affected = new TreeSet<>();
        List<EvidenceStore.MemberRef> was = batch.groups.getOrDefault(event.nctId(), List.of());
        was.forEach(m -> affected.add(m.groupKey()));

        TrialState next = next(current, event, now);
        batch.trials.put(event.nctId(), next);
        List<Membership> memberships = classifier.classify(next.profile());
        boolean sameGroups = same(was, memberships);
        memberships.forEach(m -> affected.add(m.key().text()));
        SummaryRecorder.Cause cause = new SummaryRecorder.Cause(event.type(), eventId, event.nctId(), true);

        // The common case, a status change of a trial that stays in its groups, moves each summary by that one trial,
        // in memory with the batch's other changes (written together by finish);
        if (event instanceof TrialStatusChanged && sameGroups) {
            batch.summaries.saveTrial(next);
            return new Result(outcome, recorder.statusChanged(batch.summaries, affected, event.nctId(), next.status(),
                    next.whyStopped(), cause, now));
        }
        // a trial registered for the first time joins its groups without results: each summary moves by it alone;
        Map<String, String> whyByGroup = new java.util.LinkedHashMap<>();
        memberships.forEach(m -> whyByGroup.put(m.key().text(), m.whyText()));
        if (event instanceof TrialRegistered && firstSeen && was.isEmpty() && !memberships.isEmpty()
                && whyByGroup.size() == memberships.size()) {
            batch.summaries.saveTrial(next);
            evidence.replaceTrialMemberships(event.nctId(), memberships);
            batch.groups.put(event.nctId(), memberships.stream()
                    .map(m -> new EvidenceStore.MemberRef(m.key().text(), event.nctId(), m.whyText())).toList());
            return new Result(outcome, recorder.trialJoined(batch.summaries, whyByGroup, event.nctId(), next.status(),
                    next.whyStopped(), cause, now));
        }
        // anything else that changes who is in a group, why, or results recomputes the summaries from all members,
        // from the database: what the batch kept in memory is written first, and what it read of those groups is read
        // again.
        recorder.flush(batch.summaries);
        trials.save(next);
        if (event instanceof TrialResultsPosted posted) {
            trials.addResults(readouts(posted, eventId, now));
        }
        if (!sameGroups) {
            evidence.replaceTrialMemberships(event.nctId(), memberships);
            batch.groups.put(event.nctId(), memberships.stream()
                    .map(m -> new EvidenceStore.MemberRef(m.key().text(), event.nctId(), m.whyText())).toList());
        }
        List<String> changed = recorder.recompute(affected, cause, now);
        batch.summaries.forget(affected);
        return new Result(outcome, changed);
    }

    private static boolean same(List<EvidenceStore.MemberRef> stored, List<Membership> classified) {
        Set<List<String>> a = new java.util.HashSet<>();
        stored.forEach(m -> a.add(List.of(m.groupKey(), m.why())));
        Set<List<String>> b = new java.util.HashSet<>();
        classified.forEach(m -> b.add(List.of(m.key().text(), m.whyText())));
        return a.size() == stored.size() && b.size() == classified.size() && a.equals(b);
    }

    private static TrialState next(TrialState t, TrialEvent event, Instant now) {
        long seq = event.sequence();
        if (event instanceof TrialRegistered r) {
            return fromSnapshot(r.trial(), EventJson.mapper().valueToTree(r.trial()).toString(), seq, now);
        }
        if (event instanceof TrialStatusChanged s) {
            String status = s.newStatus().name();
            String whyStopped = !s.newStatus().isStopped() ? null : s.reason() != null ? s.reason() : t.whyStopped();
            return new TrialState(t.nctId(), t.tumourTypes(), t.setting(), t.regimen(), t.mechanism(), t.therapyClass(),
                    status, whyStopped, t.snapshotJson(), seq, now);
        }
        if (event instanceof TrialUpdated u) {
            return applyChanges(t, u.changes(), seq, now);
        }
        return new TrialState(t.nctId(), t.tumourTypes(), t.setting(), t.regimen(), t.mechanism(), t.therapyClass(),
                t.status(), t.whyStopped(), t.snapshotJson(), seq, now);
    }

    private static TrialState fromSnapshot(TrialSnapshot s, String json, long seq, Instant now) {
        return new TrialState(s.nctId(), s.tumourTypes(), s.setting(), s.regimen(), s.mechanism(), s.therapyClass(),
                s.overallStatus() == null ? null : s.overallStatus().name(), s.whyStopped(), json, seq, now);
    }

    /**
     * Field-level diffs patch the stored snapshot; the snapshot is then read back, so a changed tumourTypes, setting,
     * regimen, mechanism or therapyClass moves the trial between groups exactly as a registration with it would.
     */
    private static TrialState applyChanges(TrialState t, List<FieldChange> changes, long seq, Instant now) {
        ObjectNode snapshot;
        try {
            snapshot = t.snapshotJson() == null ? EventJson.mapper().createObjectNode()
                    : (ObjectNode) EventJson.mapper().readTree(t.snapshotJson());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored snapshot of " + t.nctId() + " is not JSON", e);
        }
        snapshot.put("nctId", t.nctId());
        // Status-changed events move the status without touching the snapshot; the current status wins over it.
        snapshot.put("overallStatus", t.status());
        snapshot.put("whyStopped", t.whyStopped());
        for (FieldChange c : changes) {
            JsonNode to = c.to() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : c.to();
            snapshot.set(c.field(), to);
        }
        TrialSnapshot s;
        try {
            s = EventJson.mapper().treeToValue(snapshot, TrialSnapshot.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            // The event's own changes make the snapshot unreadable: retrying the same event cannot succeed.
            throw new UnappliableEventException("trial.updated leaves " + t.nctId()
                    + " with an unreadable snapshot (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        return fromSnapshot(s, snapshot.toString(), seq, now);
    }

    private static List<PostedReadout> readouts(TrialResultsPosted posted, String eventId, Instant now) {
        List<PostedReadout> out = new ArrayList<>();
        for (PostedResult r : posted.results()) {
            out.add(new PostedReadout(posted.nctId(), eventId, r.endpoint().name(), r.arm(), r.value(), r.unit(),
                    r.ci95() == null ? null : r.ci95().lower(), r.ci95() == null ? null : r.ci95().upper(), r.n(),
                    r.source(), now, r.armRole() == null ? null : r.armRole().name(), r.responders()));
        }
        return out;
    }
}
