package org.trialwatch.evidence.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.jboss.logging.Logger;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.EvidenceSummaryUpdated;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.evidence.config.EvidenceConfig;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.grouping.GroupKey;
import org.trialwatch.evidence.domain.summary.GroupInputs;
import org.trialwatch.evidence.domain.summary.SummaryCalculator;
import org.trialwatch.evidence.domain.summary.SummaryChange;
import org.trialwatch.evidence.domain.summary.SummaryContent;
import org.trialwatch.evidence.domain.summary.SummaryDiff;
import org.trialwatch.evidence.domain.trial.TrialState;
import org.trialwatch.evidence.persistence.EvidenceStore;
import org.trialwatch.evidence.persistence.OutboxStore;
import org.trialwatch.evidence.persistence.StoredSummary;
import org.trialwatch.evidence.persistence.SummaryStore;
import org.trialwatch.evidence.persistence.TrialStore;
import org.trialwatch.support.outbox.OutboxMessage;
import org.trialwatch.support.outbox.OutboxSignal;

/**
 * Recomputes the summaries of the given groups and, where what a reader sees changed, writes the next version, its
 * history entry and (for event-caused changes) the outbox row of {@code summary-updated} — all in the caller's
 * transaction, so a summary never changes without its event, nor the other way round.
 */
@ApplicationScoped
public class SummaryRecorder {

    private static final Logger LOG = Logger.getLogger(SummaryRecorder.class);

    /** What caused a recomputation. {@code publish}: announce the change on evidence-events. */
    public record Cause(String type, String eventId, String nctId, @JsonIgnore boolean publish) {
        public static Cause seed() {
            return new Cause("seed", null, null, false);
        }
    }

    /** The latest change of a summary, as stored beside it and served with it. */
    public record LatestChange(long version, Instant at, Cause cause, List<EvidenceSummaryUpdated.Change> changes) {
    }

    private static final EvidenceSummaryUpdated.Change MEMBERS_CHANGED = new EvidenceSummaryUpdated.Change("members",
            null, null, "which rows or trials are in the group, or why, changed");
    /** The statuses that stop a trial early (the contract's one definition), for the partial index of group_trial. */
    private static final List<String> STOPPED = java.util.Arrays.stream(TrialStatus.values())
            .filter(TrialStatus::isStopped).map(Enum::name).toList();
    private static final Set<String> TRIAL_FLAGS = Set.of(SummaryCalculator.TERMINATED_EARLY,
            SummaryCalculator.RESULTS_NOT_YET_POSTED);

    private final EvidenceCatalog catalog;
    private final SummaryCalculator calculator;
    private final EvidenceStore evidence;
    private final TrialStore trials;
    private final SummaryStore summaries;
    private final OutboxStore outbox;
    private final ObjectMapper json;
    private final EvidenceConfig config;
    private final OutboxSignal signal;

    public SummaryRecorder(EvidenceCatalog catalog, SummaryCalculator calculator, EvidenceStore evidence,
                           TrialStore trials, SummaryStore summaries, OutboxStore outbox, ObjectMapper json,
                           EvidenceConfig config, OutboxSignal signal) {
        this.catalog = catalog;
        this.calculator = calculator;
        this.evidence = evidence;
        this.trials = trials;
        this.summaries = summaries;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
        this.signal = signal;
    }

    /**
     * Recomputes the summaries from all their members: for the seed, and for events that change who is in a group, why,
     * or a member's results. Returns the keys of the groups that got a new version.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> recompute(Collection<String> groupKeys, Cause cause, Instant at) {
        List<String> changed = new ArrayList<>();
        // Sorted: every transaction locks summaries in the same order, so two of them cannot deadlock.
        for (String key : new TreeSet<>(groupKeys)) {
            if (recomputeFully(key, cause, at)) {
                changed.add(key);
            }
        }
        return changed;
    }

    /**
     * A transaction's summary work kept in memory and written together ({@link #flush}): the summaries it locked and the
     * lines of its trials in them, read once (as the summaries move, they are moved here too), and the trial states,
     * versions, history rows, {@code summary-updated} events and lines still to write. What it read stays valid until
     * something else writes those groups in the transaction: {@link #forget} them then. Valid only in the transaction
     * that made it ({@link #begin}); the caller flushes it before the transaction ends.
     */
    public static final class Pending {
        private final Set<String> nctIds;
        private final Set<String> groupKeys;
        /** Locked groups: their latest version (written or not), null when the group has no stored summary. */
        private final Map<String, StoredSummary> summaries = new HashMap<>();
        /** Of the locked groups, the lines of the transaction's trials (a trial without a line is not in the map). */
        private final Map<String, Map<String, SummaryContent.TrialRef>> lines = new HashMap<>();
        /** Of the locked groups, read when first needed: the stopped members, by NCT id, to "NCT… STATUS". */
        private final Map<String, TreeMap<String, String>> stopped = new HashMap<>();
        /**
         * Of the locked groups, read when a trial first joins one: its members without posted results, kept current
         * by the joins (a status change does not move them).
         */
        private final Map<String, WithoutResults> withoutResults = new HashMap<>();
        private final Map<String, TrialState> trialsToWrite = new LinkedHashMap<>();
        private final List<SummaryStore.Version> versions = new ArrayList<>();
        private final Map<List<String>, SummaryStore.Line> linesToWrite = new LinkedHashMap<>();
        private final List<OutboxMessage> events = new ArrayList<>();
        private final Set<String> groupsToWrite = new HashSet<>();

        private Pending(Collection<String> nctIds, Collection<String> groupKeys) {
            this.nctIds = Set.copyOf(nctIds);
            this.groupKeys = Set.copyOf(groupKeys);
        }

        /** A trial's new state, written with the next {@link #flush} (the last one per trial). */
        public void saveTrial(TrialState state) {
            trialsToWrite.remove(state.nctId()); // re-inserted last: kept in the order they were last changed
            trialsToWrite.put(state.nctId(), state);
        }

        /** Drops what was read of these groups: they were written around this object (a full recomputation). */
        public void forget(Collection<String> keys) {
            for (String key : keys) {
                if (groupsToWrite.contains(key)) {
                    throw new IllegalStateException("summary " + key + " has unwritten versions: flush first");
                }
                summaries.remove(key);
                lines.remove(key);
                stopped.remove(key);
                withoutResults.remove(key);
            }
        }

        private boolean nothingToWrite() {
            return trialsToWrite.isEmpty() && versions.isEmpty() && linesToWrite.isEmpty() && events.isEmpty();
        }
    }

    /**
     * Starts a transaction's summary work for events of {@code nctIds}, which are in {@code groupKeys}: those groups'
     * summaries are locked together when the first status change needs one.
     */
    public Pending begin(Collection<String> nctIds, Collection<String> groupKeys) {
        return new Pending(nctIds, groupKeys);
    }

    /**
     * Writes what {@code pending} holds: trial states, then summaries (the last version of each), their history and
     * lines, then their events, one batch (one round trip) each; and keeps what it read, which is now what is stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void flush(Pending pending) {
        if (pending.nothingToWrite()) {
            return;
        }
        trials.saveAll(pending.trialsToWrite.values());
        summaries.writeAll(pending.versions);
        summaries.putTrialRefs(List.copyOf(pending.linesToWrite.values()));
        outbox.addAll(pending.events);
        pending.trialsToWrite.clear();
        pending.versions.clear();
        pending.linesToWrite.clear();
        pending.events.clear();
        pending.groupsToWrite.clear();
    }

    /**
     * A member trial's status changed and its memberships did not: the summaries move by that one trial, from its
     * previous line in each group, at a cost that does not depend on the group's size — the counts by status move by
     * one, the trial's line is rewritten, and the terminated-early flag (from the group's stopped members, read once
     * per transaction through a partial index) only when the old or new status stops a trial early. The result
     * (content, diff, version, history, event) is what a full recomputation gives ({@code IncrementalSummaryTest}).
     * Each change is one version per group, computed from the previous one, kept in {@code pending} (written by
     * {@link Pending#flush}): a transaction of many status changes locks and reads its summaries once and writes them
     * in a few batches. A group without a stored line for the trial is recomputed fully (after writing what is pending).
     * Returns the keys of the groups that got a new version.
     *
     * @param status the trial's new status, null when not verified
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> statusChanged(Pending pending, Collection<String> groupKeys, String nctId, String status,
                                      String whyStopped, Cause cause, Instant at) {
        List<String> changed = new ArrayList<>();
        for (String key : new TreeSet<>(groupKeys)) {
            load(pending, key);
            StoredSummary stored = pending.summaries.get(key);
            SummaryContent.TrialRef line = stored == null ? null : pending.lines.get(key).get(nctId);
            boolean versioned;
            if (line == null) {
                // a recomputation reads the members and the summary from the database: they must be written first
                flush(pending);
                versioned = recomputeFully(key, cause, at);
                pending.forget(List.of(key));
            } else {
                versioned = moveOneTrial(pending, stored, line, status, whyStopped, cause, at);
            }
            if (versioned) {
                changed.add(key);
            }
        }
        return changed;
    }

    /**
     * A trial seen for the first time joined groups (its registration), without posted results: each summary moves by
     * that one trial at a cost that does not depend on the group's size, as a status change does — one more tracked
     * in its status, its line added, and the two member flags: results-not-yet-posted gains it (counted through a
     * partial index, listed only while short) and terminated-early when it joined stopped. The result is what a full
     * recomputation gives ({@code IncrementalSummaryIT}); before this, each registration recomputed its groups from
     * all members, so a bulk registration into one group took time quadratic in its size. A group without a stored
     * summary, or that already has a line for the trial, is recomputed fully. Returns the keys of the groups that got
     * a new version.
     *
     * @param whyByGroup the groups joined, each with why the trial is in it
     * @param status the trial's status, null when not verified
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> trialJoined(Pending pending, Map<String, String> whyByGroup, String nctId, String status,
                                    String whyStopped, Cause cause, Instant at) {
        List<String> changed = new ArrayList<>();
        for (String key : new TreeSet<>(whyByGroup.keySet())) {
            load(pending, key);
            StoredSummary stored = pending.summaries.get(key);
            boolean versioned;
            if (stored == null || pending.lines.get(key).containsKey(nctId)) {
                flush(pending);
                versioned = recomputeFully(key, cause, at);
                pending.forget(List.of(key));
            } else {
                versioned = joinOneTrial(pending, stored, new SummaryContent.TrialRef(nctId,
                        status == null ? SummaryCalculator.NOT_VERIFIED : status, false, whyStopped,
                        whyByGroup.get(key)), cause, at);
            }
            if (versioned) {
                changed.add(key);
            }
        }
        return changed;
    }

    /** How many members of a locked group have no posted results (listed while few), as they are now. */
    private WithoutResults withoutResults(Pending pending, String key) {
        return pending.withoutResults.computeIfAbsent(key, k -> {
            SummaryStore.WithoutResults read = summaries.membersWithoutResults(k, SummaryDiff.FLAG_LIST_LIMIT);
            return new WithoutResults(read.count(), read.nctIdsWhenFew() == null ? null
                    : new TreeSet<>(read.nctIdsWhenFew()));
        });
    }

    /** A group's members without posted results: how many, and who while they are few enough to be listed. */
    private static final class WithoutResults {
        private int count;
        /** Null once there are more than {@link SummaryDiff#FLAG_LIST_LIMIT}. */
        private TreeSet<String> members;

        private WithoutResults(int count, TreeSet<String> members) {
            this.count = count;
            this.members = members;
        }

        private void add(String nctId) {
            count++;
            if (members != null) {
                members.add(nctId);
                if (members.size() > SummaryDiff.FLAG_LIST_LIMIT) {
                    members = null;
                }
            }
        }
    }

    private boolean joinOneTrial(Pending pending, StoredSummary stored, SummaryContent.TrialRef joined, Cause cause,
                                 Instant at) {
        String key = stored.groupKey();
        SummaryContent core = read(stored.contentJson(), SummaryContent.class);
        Map<String, Integer> byStatus = new TreeMap<>(core.trackedByStatus());
        byStatus.merge(joined.status(), 1, Integer::sum);

        // As for a status change, the diff is taken of the summaries cut down to what moves: the counts, the new line
        // and terminated-early; results-not-yet-posted, which the trial always joins, is added to it in its place.
        List<SummaryContent.Flag> flagsBefore = new ArrayList<>(core.certaintyFlags());
        List<SummaryContent.Flag> flagsAfter = new ArrayList<>(core.certaintyFlags());
        if (TrialStatus.isStopped(joined.status())) {
            TreeMap<String, String> members = stoppedMembers(pending, key);
            if (!members.isEmpty()) {
                flagsBefore.add(SummaryCalculator.terminatedEarly(List.copyOf(members.values())));
            }
            members.put(joined.nctId(), joined.nctId() + " " + joined.status());
            flagsAfter.add(SummaryCalculator.terminatedEarly(List.copyOf(members.values())));
        }
        List<SummaryChange> diff = new ArrayList<>(SummaryDiff.between(
                withMembers(core, core.trackedByStatus(), List.of(), flagsBefore),
                withMembers(core, byStatus, List.of(joined), flagsAfter)));
        WithoutResults noResults = withoutResults(pending, key);
        SummaryChange resultsFlag = SummaryDiff.flagJoined(SummaryCalculator.RESULTS_NOT_YET_POSTED,
                noResults.members == null ? null : List.copyOf(noResults.members), noResults.count, joined.nctId());
        noResults.add(joined.nctId());
        diff.add(flagPosition(diff, SummaryCalculator.RESULTS_NOT_YET_POSTED), resultsFlag);
        List<EvidenceSummaryUpdated.Change> changes = contract(diff);

        versionMoved(pending, stored, core, byStatus, joined, changes, cause, at);
        return true;
    }

    /** Where a flag's change goes among a diff's: flags come last, by name (SummaryDiff.between's order). */
    private static int flagPosition(List<SummaryChange> diff, String flag) {
        for (int i = 0; i < diff.size(); i++) {
            String field = diff.get(i).field();
            if (field.startsWith("certaintyFlags.")) {
                String name = field.substring("certaintyFlags.".length());
                name = name.endsWith(".count") ? name.substring(0, name.length() - ".count".length()) : name;
                if (name.compareTo(flag) > 0) {
                    return i;
                }
            }
        }
        return diff.size();
    }

    /**
     * Locks and reads {@code key} unless it was: with it, every group of the transaction not read yet, so that a
     * transaction usually locks its summaries in one statement (in key order) and reads their lines in another.
     */
    private void load(Pending pending, String key) {
        if (pending.summaries.containsKey(key)) {
            return;
        }
        TreeSet<String> keys = new TreeSet<>();
        keys.add(key);
        pending.groupKeys.stream().filter(k -> !pending.summaries.containsKey(k)).forEach(keys::add);
        Map<String, StoredSummary> found = summaries.lockAll(keys);
        Map<String, Map<String, SummaryContent.TrialRef>> lines = summaries.trialRefs(found.keySet(), pending.nctIds);
        for (String k : keys) {
            pending.summaries.put(k, found.get(k));
            pending.lines.put(k, new HashMap<>(lines.getOrDefault(k, Map.of())));
        }
    }

    /** The stopped members of a locked group as they are now, written or not: read once, then kept current. */
    private TreeMap<String, String> stoppedMembers(Pending pending, String key) {
        return pending.stopped.computeIfAbsent(key, k -> {
            TreeMap<String, String> members = new TreeMap<>();
            summaries.trialRefsWithStatus(List.of(k), STOPPED).getOrDefault(k, List.of())
                    .forEach(t -> members.put(t.nctId(), t.nctId() + " " + t.status()));
            // lines moved since the group was read are not written yet: theirs are the current ones
            pending.lines.get(k).values().forEach(t -> {
                members.remove(t.nctId());
                if (TrialStatus.isStopped(t.status())) {
                    members.put(t.nctId(), t.nctId() + " " + t.status());
                }
            });
            return members;
        });
    }

    private boolean moveOneTrial(Pending pending, StoredSummary stored, SummaryContent.TrialRef was, String status,
                                 String whyStopped, Cause cause, Instant at) {
        String key = stored.groupKey();
        SummaryContent.TrialRef now = new SummaryContent.TrialRef(was.nctId(),
                status == null ? SummaryCalculator.NOT_VERIFIED : status, was.resultsPosted(), whyStopped, was.why());
        if (now.equals(was)) {
            return false;
        }
        SummaryContent core = read(stored.contentJson(), SummaryContent.class);
        Map<String, Integer> byStatus = new TreeMap<>(core.trackedByStatus());
        byStatus.merge(was.status(), -1, Integer::sum);
        byStatus.remove(was.status(), 0);
        byStatus.merge(now.status(), 1, Integer::sum);

        // Every part of the summary but this trial's line, the counts and terminated-early is as it was, so the diff
        // of the two summaries cut down to those parts is the diff of the whole ones.
        List<SummaryContent.Flag> flagsBefore = new ArrayList<>(core.certaintyFlags());
        List<SummaryContent.Flag> flagsAfter = new ArrayList<>(core.certaintyFlags());
        boolean stoppedBefore = TrialStatus.isStopped(was.status());
        boolean stoppedAfter = TrialStatus.isStopped(now.status());
        if (stoppedBefore || stoppedAfter) {
            TreeMap<String, String> members = stoppedMembers(pending, key);
            if (!members.isEmpty()) {
                flagsBefore.add(SummaryCalculator.terminatedEarly(List.copyOf(members.values())));
            }
            members.remove(now.nctId());
            if (stoppedAfter) {
                members.put(now.nctId(), now.nctId() + " " + now.status());
            }
            if (!members.isEmpty()) {
                flagsAfter.add(SummaryCalculator.terminatedEarly(List.copyOf(members.values())));
            }
        }
        SummaryContent before = withMembers(core, core.trackedByStatus(), List.of(was), flagsBefore);
        SummaryContent after = withMembers(core, byStatus, List.of(now), flagsAfter);
        List<EvidenceSummaryUpdated.Change> changes = contract(SummaryDiff.between(before, after));
        if (changes.isEmpty()) {
            changes.add(MEMBERS_CHANGED); // the trial's line changed (e.g. why it stopped), nothing the diff lists
        }
        versionMoved(pending, stored, core, byStatus, now, changes, cause, at);
        return true;
    }

    /**
     * The next version of a summary that moved by one trial, kept in {@code pending}: its stored part (the new counts),
     * history entry and event, and the trial's new line.
     */
    private void versionMoved(Pending pending, StoredSummary stored, SummaryContent core, Map<String, Integer> byStatus,
                              SummaryContent.TrialRef line, List<EvidenceSummaryUpdated.Change> changes, Cause cause,
                              Instant at) {
        String key = stored.groupKey();
        long version = stored.version() + 1;
        String contentJson = write(withMembers(core, byStatus, List.of(), core.certaintyFlags()));
        String latestJson = write(new LatestChange(version, at, cause, changes));
        pending.versions.add(new SummaryStore.Version(GroupKey.parse(key), version, contentJson, latestJson,
                write(changes), cause.type(), cause.eventId(), cause.nctId(), at));
        if (cause.publish()) {
            SummaryUpdated event = summaryUpdated(key, version, cause, changes, at);
            pending.events.add(outbox.message(event.id(), key, EventTypes.EVIDENCE_SUMMARY_UPDATED, at, event.payload()));
        }
        pending.summaries.put(key, new StoredSummary(key, version, contentJson, latestJson, at));
        pending.lines.get(key).put(line.nctId(), line);
        pending.linesToWrite.put(List.of(key, line.nctId()), new SummaryStore.Line(key, line));
        pending.groupsToWrite.add(key);
    }

    /** Recomputes one summary from all its members; true when it got a new version. */
    private boolean recomputeFully(String key, Cause cause, Instant at) {
        Optional<StoredSummary> stored = summaries.lock(key);
        List<GroupInputs.RowMember> rows = evidence.membersOf(key, "ROW").stream()
                .map(m -> new GroupInputs.RowMember(catalog.find(m.memberId()).orElseThrow(
                        () -> new IllegalStateException("group member " + m.memberId() + " is not in the seed")), m.why()))
                .toList();
        List<GroupInputs.TrialMember> members = trials.membersOf(key);
        if (stored.isEmpty() && rows.isEmpty() && members.isEmpty()) {
            return false;
        }
        SummaryContent content = calculator.compute(new GroupInputs(GroupKey.parse(key), rows, members));
        SummaryContent before = stored.isEmpty() ? null
                : read(summaries.find(key).orElseThrow().contentJson(), SummaryContent.class);
        List<EvidenceSummaryUpdated.Change> changes = contract(SummaryDiff.between(before, content));
        if (before != null && changes.isEmpty()) {
            if (content.equals(before)) {
                return false;
            }
            changes.add(MEMBERS_CHANGED);
        }
        long version = stored.map(s -> s.version() + 1).orElse(1L);
        List<SummaryContent.Flag> rowFlags = content.certaintyFlags().stream()
                .filter(f -> !TRIAL_FLAGS.contains(f.flag())).toList();
        record(key, version, withMembers(content, content.trackedByStatus(), List.of(), rowFlags), changes, cause, at);
        // The trials' lines: only those that differ are written.
        Map<String, SummaryContent.TrialRef> old = new HashMap<>();
        if (before != null) {
            before.trials().forEach(t -> old.put(t.nctId(), t));
        }
        List<SummaryContent.TrialRef> put = new ArrayList<>();
        for (SummaryContent.TrialRef t : content.trials()) {
            if (!t.equals(old.remove(t.nctId()))) {
                put.add(t);
            }
        }
        summaries.putTrialRefs(key, put);
        summaries.removeTrialRefs(key, List.copyOf(old.keySet()));
        return true;
    }

    /** Writes a version: the summary's stored part, its history entry and, for events, its summary-updated. */
    private void record(String key, long version, SummaryContent storedPart, List<EvidenceSummaryUpdated.Change> changes,
                        Cause cause, Instant at) {
        LatestChange latest = new LatestChange(version, at, cause, changes);
        summaries.write(GroupKey.parse(key), version, write(storedPart), write(latest), write(changes), cause.type(),
                cause.eventId(), cause.nctId(), at);
        if (cause.publish()) {
            enqueue(key, version, cause, changes, at);
        }
    }

    /** The domain's changes as the contract carries them: JSON values, a JSON null for "none". */
    private static List<EvidenceSummaryUpdated.Change> contract(List<SummaryChange> changes) {
        List<EvidenceSummaryUpdated.Change> out = new ArrayList<>(changes.size());
        for (SummaryChange c : changes) {
            out.add(new EvidenceSummaryUpdated.Change(c.field(), node(c.from()), node(c.to()), c.description()));
        }
        return out;
    }

    private static JsonNode node(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof Integer i) {
            return IntNode.valueOf(i);
        }
        if (value instanceof Double d) {
            return DoubleNode.valueOf(d);
        }
        if (value instanceof String s) {
            return TextNode.valueOf(s);
        }
        if (value instanceof List<?> items) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            items.forEach(item -> array.add((String) item));
            return array;
        }
        throw new IllegalArgumentException("not a summary change value: " + value.getClass().getName());
    }

    private static SummaryContent withMembers(SummaryContent c, Map<String, Integer> byStatus,
                                              List<SummaryContent.TrialRef> trials, List<SummaryContent.Flag> flags) {
        return new SummaryContent(c.groupKey(), c.tumourType(), c.line(), c.therapyClass(), c.target(), c.evidence(),
                c.medianOs(), c.orr(), byStatus, c.rows(), trials, flags);
    }

    private void enqueue(String key, long version, Cause cause, List<EvidenceSummaryUpdated.Change> changes, Instant at) {
        SummaryUpdated event = summaryUpdated(key, version, cause, changes, at);
        outbox.add(event.id(), key, EventTypes.EVIDENCE_SUMMARY_UPDATED, at, event.payload());
        signal.afterCommitWakeRelay();
    }

    private record SummaryUpdated(UUID id, String payload) {
    }

    /** The summary-updated of a version, checked against its schema. */
    private SummaryUpdated summaryUpdated(String key, long version, Cause cause,
                                          List<EvidenceSummaryUpdated.Change> changes, Instant at) {
        UUID id = UUID.randomUUID();
        EvidenceSummaryUpdated event = new EvidenceSummaryUpdated(id.toString(), key, version, at, config.events().source(),
                cause.eventId(), cause.nctId(), changes);
        JsonNode payload = EventJson.mapper().valueToTree(event);
        List<String> violations = EventSchemas.violations(EventTypes.EVIDENCE_SUMMARY_UPDATED, payload);
        if (!violations.isEmpty()) {
            // A bug of ours, not bad input: refuse to publish what the contract forbids.
            throw new IllegalStateException("summary-updated for " + key + " breaks its schema: " + violations);
        }
        LOG.debugf("summary %s v%d queued for evidence-events (%d changes)", key, version, changes.size());
        return new SummaryUpdated(id, payload.toString());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored summary cannot be read", e);
        }
    }
}
