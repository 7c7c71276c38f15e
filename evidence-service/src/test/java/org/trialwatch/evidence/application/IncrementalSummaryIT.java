package org.trialwatch.evidence.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.EvidenceSummaryUpdated;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialResultsPosted;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.grouping.GroupKey;
import org.trialwatch.evidence.domain.summary.GroupInputs;
import org.trialwatch.evidence.domain.summary.SummaryCalculator;
import org.trialwatch.evidence.domain.summary.SummaryContent;
import org.trialwatch.evidence.domain.summary.SummaryDiff;
import org.trialwatch.evidence.persistence.EvidenceStore;
import org.trialwatch.evidence.persistence.StoredSummary;
import org.trialwatch.evidence.persistence.SummaryStore;
import org.trialwatch.evidence.persistence.TrialStore;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.trialwatch.evidence.messaging.TrialEventsFixtures;

/**
 * A status change moves a summary by one trial (the incremental path) and anything else recomputes it from all members:
 * after every event of a series, the summary as served, its version and the changes it announces are exactly what a
 * full recomputation from the members gives.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class IncrementalSummaryIT {

    /** A group of its own: no lexicon target word, so the mechanism names the target. */
    static final String MECHANISM = "incrementality probe";
    /** Another group of its own, for registrations. */
    static final String JOIN_MECHANISM = "join probe";

    @Inject
    TrialEventApplier applier;
    @Inject
    SummaryStore summaries;
    @Inject
    TrialStore trials;
    @Inject
    EvidenceStore evidence;
    @Inject
    EvidenceCatalog catalog;
    @Inject
    SummaryCalculator calculator;
    @Inject
    ObjectMapper json;

    private final java.util.Map<String, Long> sequence = new java.util.HashMap<>();

    @Test
    void statusChangesMoveTheSummaryExactlyAsAFullRecomputationWould() throws Exception {
        List<String> ids = List.of("NCT91000001", "NCT91000002", "NCT91000003", "NCT91000004", "NCT91000005");
        for (String id : ids) {
            apply(registered(id, id.endsWith("5") ? "TERMINATED" : "RECRUITING"));
        }
        apply(orrPosted("NCT91000002"));
        String key = evidence.groupsOf("TRIAL", "NCT91000001").get(0).groupKey();
        assertThat(evidence.membersOf(key, "TRIAL")).hasSize(ids.size());

        String[][] series = {
                {"NCT91000001", "RECRUITING", "ACTIVE_NOT_RECRUITING", null},
                {"NCT91000003", "RECRUITING", "TERMINATED", "Sponsor decision"},
                {"NCT91000002", "RECRUITING", "SUSPENDED", "safety review"},
                {"NCT91000003", "TERMINATED", "TERMINATED", "Sponsor decision, corrected"}, // only why it stopped moves
                {"NCT91000003", "TERMINATED", "TERMINATED", "Sponsor decision, corrected"}, // nothing moves: no version
                {"NCT91000002", "SUSPENDED", "RECRUITING", null},
                {"NCT91000005", "TERMINATED", "WITHDRAWN", "no participants"},
                {"NCT91000004", "RECRUITING", "COMPLETED", null},
                {"NCT91000001", "ACTIVE_NOT_RECRUITING", "COMPLETED", null},
                {"NCT91000003", "TERMINATED", "RECRUITING", null},
                {"NCT91000005", "WITHDRAWN", "RECRUITING", null},
        };
        int versions = 0;
        for (String[] step : series) {
            SummaryContent before = served(key);
            long versionBefore = summaries.find(key).orElseThrow().version();

            TrialEventApplier.Result result = apply(statusChanged(step[0], step[1], step[2], step[3]));

            SummaryContent full = fullRecomputation(key);
            StoredSummary stored = summaries.find(key).orElseThrow();
            assertThat(served(key)).as("summary after %s → %s", step[0], step[2]).isEqualTo(full);
            List<Object> expected = new ArrayList<>(SummaryDiff.between(before, full));
            if (expected.isEmpty() && !full.equals(before)) {
                expected.add(new EvidenceSummaryUpdated.Change("members", null, null,
                        "which rows or trials are in the group, or why, changed"));
            }
            if (expected.isEmpty()) {
                assertThat(stored.version()).isEqualTo(versionBefore);
                assertThat(result.groupsChanged()).doesNotContain(key);
                continue;
            }
            versions++;
            assertThat(result.groupsChanged()).contains(key);
            assertThat(stored.version()).isEqualTo(versionBefore + 1);
            JsonNode latest = json.readTree(stored.latestChangeJson());
            assertThat(latest.get("changes")).as("changes of %s → %s", step[0], step[2])
                    .isEqualTo(json.valueToTree(expected));
            assertThat(summaries.history(key).get(summaries.history(key).size() - 1).version()).isEqualTo(stored.version());
        }
        assertThat(versions).isEqualTo(series.length - 1);
        assertThat(served(key).trackedByStatus()).containsEntry("COMPLETED", 2).containsEntry("RECRUITING", 3);
    }

    /**
     * Registrations add one member each without reading the group: summary, version and announced changes are what a
     * full recomputation gives, with stopped and unverified joiners, a member with results (so the two member flags
     * list different trials) and results-not-yet-posted growing from a listed flag to a counted one (over 50 members);
     * a transaction of several registrations moves the summary once per registration, each version caused by its own.
     */
    @Test
    void registrationsMoveTheSummaryExactlyAsAFullRecomputationWould() throws Exception {
        String[] statuses = {"RECRUITING", "TERMINATED", "ACTIVE_NOT_RECRUITING", "RECRUITING", "WITHDRAWN", null};
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 56; i++) {
            ids.add(String.format("NCT920%05d", i));
        }
        apply(registered(ids.get(0), "RECRUITING", JOIN_MECHANISM)); // the group's first member: a new summary
        String key = evidence.groupsOf("TRIAL", ids.get(0)).get(0).groupKey();
        apply(orrPosted(ids.get(0)));
        for (int i = 1; i < ids.size(); i++) {
            String status = statuses[i % statuses.length];
            SummaryContent before = served(key);
            long versionBefore = summaries.find(key).orElseThrow().version();

            TrialEventApplier.Result result = apply(registered(ids.get(i), status, JOIN_MECHANISM));

            SummaryContent full = fullRecomputation(key);
            StoredSummary stored = summaries.find(key).orElseThrow();
            assertThat(served(key)).as("summary after %s joined %s", ids.get(i), status).isEqualTo(full);
            assertThat(result.groupsChanged()).containsExactly(key);
            assertThat(stored.version()).isEqualTo(versionBefore + 1);
            assertThat(json.readTree(stored.latestChangeJson()).get("changes")).as("changes as %s joined", ids.get(i))
                    .isEqualTo(json.valueToTree(SummaryDiff.between(before, full)));
        }
        assertThat(served(key).trials()).hasSize(ids.size());
        assertThat(json.readTree(summaries.find(key).orElseThrow().latestChangeJson()).toString())
                .contains("certaintyFlags.results-not-yet-posted.count")
                .contains("certainty flag results-not-yet-posted 54→55 +" + ids.get(55));

        // several registrations in one transaction, as the consumer applies a poll
        List<TrialEventApplier.Incoming> batch = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            batch.add(new TrialEventApplier.Incoming(UUID.randomUUID().toString(),
                    registered(String.format("NCT921%05d", i), statuses[i], JOIN_MECHANISM)));
        }
        long versionBefore = summaries.find(key).orElseThrow().version();
        QuarkusTransaction.requiringNew().run(() -> {
            TrialEventApplier.Batch prepared = applier.prepare(batch);
            batch.forEach(e -> assertThat(applier.apply(prepared, e.eventId(), e.event()).groupsChanged())
                    .containsExactly(key));
            applier.finish(prepared);
        });
        assertThat(served(key)).isEqualTo(fullRecomputation(key));
        assertThat(summaries.find(key).orElseThrow().version()).isEqualTo(versionBefore + batch.size());
        List<SummaryStore.HistoryEntry> history = summaries.history(key);
        assertThat(history.subList(history.size() - batch.size(), history.size()))
                .extracting(SummaryStore.HistoryEntry::causeEventId)
                .containsExactlyElementsOf(batch.stream().map(TrialEventApplier.Incoming::eventId).toList());
        // each version counts the registrations before it in the same transaction
        assertThat(history.get(history.size() - 1).changesJson())
                .contains("certainty flag results-not-yet-posted 58→59 +NCT92100004");
    }

    private SummaryContent served(String key) throws Exception {
        return json.readValue(summaries.find(key).orElseThrow().contentJson(), SummaryContent.class);
    }

    private SummaryContent fullRecomputation(String key) {
        List<GroupInputs.RowMember> rows = evidence.membersOf(key, "ROW").stream()
                .map(m -> new GroupInputs.RowMember(catalog.find(m.memberId()).orElseThrow(), m.why())).toList();
        return calculator.compute(new GroupInputs(GroupKey.parse(key), rows, trials.membersOf(key)));
    }

    private TrialEventApplier.Result apply(TrialEvent event) {
        return applier.apply(UUID.randomUUID().toString(), event);
    }

    private long next(String nctId) {
        return sequence.merge(nctId, 1L, Long::sum);
    }

    private TrialRegistered registered(String nctId, String status) throws Exception {
        return registered(nctId, status, MECHANISM);
    }

    private TrialRegistered registered(String nctId, String status, String mechanism) throws Exception {
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_REGISTERED).deepCopy();
        e.put("eventId", UUID.randomUUID().toString()).put("nctId", nctId).put("sequence", next(nctId));
        ObjectNode trial = (ObjectNode) e.get("trial");
        trial.put("nctId", nctId).put("overallStatus", status).put("mechanism", mechanism)
                .put("regimen", "probe-" + nctId)
                .put("setting", "advanced solid tumours");
        if (!"TERMINATED".equals(status) && !"WITHDRAWN".equals(status)) {
            trial.putNull("whyStopped");
        }
        return EventJson.mapper().treeToValue(e, TrialRegistered.class);
    }

    private TrialStatusChanged statusChanged(String nctId, String from, String to, String reason) throws Exception {
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED).deepCopy();
        e.put("eventId", UUID.randomUUID().toString()).put("nctId", nctId).put("sequence", next(nctId))
                .put("previousStatus", from).put("newStatus", to).put("reason", reason);
        return EventJson.mapper().treeToValue(e, TrialStatusChanged.class);
    }

    private TrialResultsPosted orrPosted(String nctId) throws Exception {
        ObjectNode e = TrialEventsFixtures.orrPosted(UUID.randomUUID().toString(), nctId, next(nctId), 30.0, 40);
        return EventJson.mapper().treeToValue(e, TrialResultsPosted.class);
    }
}
