package org.trialwatch.evidence.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.EvidenceSummaryUpdated;
import org.trialwatch.evidence.catalog.EvidenceCatalog;
import org.trialwatch.evidence.config.EvidenceConfig;
import org.trialwatch.evidence.grouping.GroupKey;
import org.trialwatch.evidence.store.EvidenceStore;
import org.trialwatch.evidence.store.OutboxStore;
import org.trialwatch.evidence.store.StoredSummary;
import org.trialwatch.evidence.store.SummaryStore;
import org.trialwatch.evidence.store.TrialStore;
import org.trialwatch.evidence.summary.GroupInputs;
import org.trialwatch.evidence.summary.SummaryCalculator;
import org.trialwatch.evidence.summary.SummaryContent;
import org.trialwatch.evidence.summary.SummaryDiff;

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

    private final EvidenceCatalog catalog;
    private final SummaryCalculator calculator;
    private final EvidenceStore evidence;
    private final TrialStore trials;
    private final SummaryStore summaries;
    private final OutboxStore outbox;
    private final ObjectMapper json;
    private final EvidenceConfig config;

    public SummaryRecorder(EvidenceCatalog catalog, SummaryCalculator calculator, EvidenceStore evidence,
                           TrialStore trials, SummaryStore summaries, OutboxStore outbox, ObjectMapper json,
                           EvidenceConfig config) {
        this.catalog = catalog;
        this.calculator = calculator;
        this.evidence = evidence;
        this.trials = trials;
        this.summaries = summaries;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
    }

    /** Returns the keys of the groups that got a new version. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> recompute(Collection<String> groupKeys, Cause cause, Instant at) {
        List<String> changed = new ArrayList<>();
        // Sorted: every transaction locks summaries in the same order, so two of them cannot deadlock.
        for (String key : new TreeSet<>(groupKeys)) {
            Optional<StoredSummary> stored = summaries.lock(key);
            List<GroupInputs.RowMember> rows = evidence.membersOf(key, "ROW").stream()
                    .map(m -> new GroupInputs.RowMember(catalog.find(m.memberId()).orElseThrow(
                            () -> new IllegalStateException("group member " + m.memberId() + " is not in the seed")), m.why()))
                    .toList();
            List<GroupInputs.TrialMember> members = trials.membersOf(key);
            if (stored.isEmpty() && rows.isEmpty() && members.isEmpty()) {
                continue;
            }
            SummaryContent content = calculator.compute(new GroupInputs(GroupKey.parse(key), rows, members));
            SummaryContent before = stored.map(s -> read(s.contentJson(), SummaryContent.class)).orElse(null);
            List<EvidenceSummaryUpdated.Change> changes = new ArrayList<>(SummaryDiff.between(before, content));
            if (before != null && changes.isEmpty()) {
                if (content.equals(before)) {
                    continue;
                }
                changes.add(new EvidenceSummaryUpdated.Change("members", null, null,
                        "which rows or trials are in the group, or why, changed"));
            }
            long version = stored.map(s -> s.version() + 1).orElse(1L);
            LatestChange latest = new LatestChange(version, at, cause, changes);
            summaries.write(GroupKey.parse(key), version, write(content), write(latest), write(changes), cause.type(),
                    cause.eventId(), cause.nctId(), at);
            if (cause.publish()) {
                enqueue(key, version, cause, changes, at);
            }
            changed.add(key);
        }
        return changed;
    }

    private void enqueue(String key, long version, Cause cause, List<EvidenceSummaryUpdated.Change> changes, Instant at) {
        UUID id = UUID.randomUUID();
        EvidenceSummaryUpdated event = new EvidenceSummaryUpdated(id.toString(), key, version, at, config.source(),
                cause.eventId(), cause.nctId(), changes);
        JsonNode payload = EventJson.mapper().valueToTree(event);
        List<String> violations = EventSchemas.violations(EventTypes.EVIDENCE_SUMMARY_UPDATED, payload);
        if (!violations.isEmpty()) {
            // A bug of ours, not bad input: refuse to publish what the contract forbids.
            throw new IllegalStateException("summary-updated for " + key + " breaks its schema: " + violations);
        }
        outbox.add(id, key, EventTypes.EVIDENCE_SUMMARY_UPDATED, at, payload.toString());
        LOG.debugf("summary %s v%d queued for evidence-events (%d changes)", key, version, changes.size());
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
