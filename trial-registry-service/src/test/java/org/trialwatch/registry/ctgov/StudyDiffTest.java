package org.trialwatch.registry.ctgov;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.application.ReviewTrialsFile;
import org.trialwatch.registry.application.SyncPlan;
import org.trialwatch.registry.application.TrialField;
import org.trialwatch.registry.domain.TransitionRule;
import org.trialwatch.registry.persistence.Trial;

class StudyDiffTest {

    private static final String PAGE1 = "ctgov/studies-run1-page1.json";
    private static final Map<String, Object> PROVENANCE = Map.of("source", "https://clinicaltrials.gov/api/v2/studies/X",
            "sourceKind", StudyDiff.SOURCE_KIND, "asOf", "2026-11-20");

    /** A trial holding exactly what the record says, with the API as every fact's source. */
    private static Trial mirrorOf(CtgovStudy study) {
        Trial t = new Trial();
        t.nctId = study.nctId();
        t.overallStatus = study.overallStatus();
        Map<String, Object> sources = new java.util.HashMap<>();
        sources.put("overallStatus", PROVENANCE);
        study.facts().forEach((f, v) -> {
            f.write(t, f.parse(v));
            sources.put(f.jsonName(), PROVENANCE);
        });
        t.factSources = sources;
        return t;
    }

    private static Set<String> posted(CtgovStudy s) {
        return s.results().stream().map(r -> ResultsExtractor.identity(r.source())).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void aRecordEqualToTheTrialChangesNothing() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900004");
        SyncPlan plan = StudyDiff.plan(mirrorOf(s), s, posted(s), PROVENANCE);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.changeCount()).isZero();
    }

    @Test
    void recruitingToTerminatedIsAnOrdinaryStatusChangeWithWhyStoppedAsReason() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900001");
        Trial t = mirrorOf(s);
        t.overallStatus = TrialStatus.RECRUITING;
        t.whyStopped = null;
        SyncPlan plan = StudyDiff.plan(t, s, Set.of(), PROVENANCE);
        assertThat(plan.newStatus()).isEqualTo(TrialStatus.TERMINATED);
        assertThat(plan.statusCorrection()).isFalse();
        assertThat(plan.statusReason()).isEqualTo("Sponsor decision");
        assertThat(plan.effectiveDate()).isEqualTo(java.time.LocalDate.parse("2026-11-02")); // the record's lastUpdatePostDate
        assertThat(plan.fields()).containsOnlyKeys(TrialField.WHY_STOPPED);
        assertThat(plan.factSources()).containsKeys("overallStatus", "whyStopped");
    }

    @Test
    void leavingATerminalStatusIsRecordedAndFlaggedAsACorrection() {
        CtgovStudy s = Fixtures.study("ctgov/studies-run1-page2.json", "NCT09900007");
        Trial t = mirrorOf(s);
        t.overallStatus = TrialStatus.COMPLETED;
        SyncPlan plan = StudyDiff.plan(t, s, Set.of(), PROVENANCE);
        assertThat(plan.newStatus()).isEqualTo(TrialStatus.RECRUITING);
        assertThat(plan.statusCorrection()).isTrue();
        assertThat(plan.overriddenRules()).containsExactly(TransitionRule.TERMINAL_STATUS_NEEDS_CORRECTION);
        assertThat(plan.statusReason()).contains("could not make this change").contains("TERMINAL_STATUS_NEEDS_CORRECTION");
    }

    @Test
    void aFirstReadingOfAnUnverifiedStatusIsNoCorrection() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900003");
        Trial t = mirrorOf(s);
        t.overallStatus = null;
        SyncPlan plan = StudyDiff.plan(t, s, Set.of(), PROVENANCE);
        assertThat(plan.newStatus()).isEqualTo(TrialStatus.ACTIVE_NOT_RECRUITING);
        assertThat(plan.statusCorrection()).isFalse();
        assertThat(plan.statusReason()).isEqualTo("reported by ClinicalTrials.gov");
    }

    @Test
    void enrollmentFromEstimatedToActualIsTwoFieldChanges() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900003");
        Trial t = mirrorOf(s);
        t.enrollmentCount = 120;
        t.enrollmentType = "ESTIMATED";
        SyncPlan plan = StudyDiff.plan(t, s, Set.of(), PROVENANCE);
        assertThat(plan.newStatus()).isNull();
        assertThat(plan.fields()).containsOnlyKeys(TrialField.ENROLLMENT_COUNT, TrialField.ENROLLMENT_TYPE);
        assertThat(plan.fields().get(TrialField.ENROLLMENT_COUNT).asInt()).isEqualTo(118);
        assertThat(plan.changeCount()).isEqualTo(2);
    }

    @Test
    void resultsAlreadyPostedAreNotPostedAgain() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900004");
        Trial t = mirrorOf(s);
        assertThat(StudyDiff.plan(t, s, Set.of(), PROVENANCE).results()).hasSize(3);
        assertThat(StudyDiff.plan(t, s, posted(s), PROVENANCE).results()).isEmpty();
    }

    @Test
    void aConfirmedFactFromAWeakerSourceGetsTheApiAsSourceWithoutAChange() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900003");
        Trial t = mirrorOf(s);
        t.factSources = Map.of("briefTitle", Map.of("sourceKind", "quotes-registry"));
        SyncPlan plan = StudyDiff.plan(t, s, Set.of(), PROVENANCE);
        assertThat(plan.fields()).isEmpty();
        assertThat(plan.newStatus()).isNull();
        assertThat(plan.factSources()).containsKeys("briefTitle", "overallStatus").containsEntry("briefTitle", PROVENANCE);
    }

    @Test
    void curatorFieldsAreNeverTouched() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900003");
        Trial t = mirrorOf(s);
        t.mechanism = "KRAS G12D inhibitor";
        t.tumourTypes = List.of("BTC");
        assertThat(StudyDiff.plan(t, s, Set.of(), PROVENANCE).isEmpty()).isTrue();
    }

    @Test
    void versionsDifferFieldByField() {
        CtgovStudy before = Fixtures.study(PAGE1, "NCT09900003");
        CtgovStudy after = Fixtures.study("ctgov/studies-run3.json", "NCT09900003");
        assertThat(StudyDiff.between(before, after)).extracting(c -> c.field())
                .containsExactly("enrollmentCount", "lastUpdatePosted");
        assertThat(StudyDiff.between(before, before)).isEmpty();
    }

    @Test
    void theSystemTestFixtureTurnsTheSeededRecruitingTrialTerminated() throws Exception {
        Trial seeded;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ReviewTrialsFile.RESOURCE)) {
            seeded = new ReviewTrialsFile(EventJson.mapper()).read(in).stream()
                    .filter(t -> t.nctId.equals("NCT05379985")).findFirst().orElseThrow();
        }
        JsonNode record = Fixtures.json("ctgov-wiremock/__files/studies-system-test.json").path("studies").get(0);
        CtgovStudy s = CtgovStudy.parse(record, "https://clinicaltrials.gov/api/v2/studies/NCT05379985");
        assertThat(seeded.overallStatus).isEqualTo(TrialStatus.RECRUITING);
        SyncPlan plan = StudyDiff.plan(seeded, s, Set.of(), PROVENANCE);
        assertThat(plan.newStatus()).isEqualTo(TrialStatus.TERMINATED);
        assertThat(plan.statusCorrection()).isFalse();
        assertThat(plan.fields()).containsKey(TrialField.WHY_STOPPED)
                .doesNotContainKeys(TrialField.BRIEF_TITLE, TrialField.ENROLLMENT_COUNT, TrialField.PHASES);
    }
}
