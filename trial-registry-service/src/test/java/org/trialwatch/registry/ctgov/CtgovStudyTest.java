package org.trialwatch.registry.ctgov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.application.TrialField;

class CtgovStudyTest {

    private static final String PAGE1 = "ctgov/studies-run1-page1.json";

    @Test
    void readsTheNestedModulesIntoRegistryFields() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900001");
        assertThat(s.nctId()).isEqualTo("NCT09900001");
        assertThat(s.overallStatus()).isEqualTo(TrialStatus.TERMINATED);
        assertThat(s.facts().get(TrialField.WHY_STOPPED).asText()).isEqualTo("Sponsor decision");
        assertThat(s.facts().get(TrialField.ENROLLMENT_COUNT).asInt()).isEqualTo(37);
        assertThat(s.facts().get(TrialField.ENROLLMENT_TYPE).asText()).isEqualTo("ACTUAL");
        assertThat(s.facts().get(TrialField.PRIMARY_COMPLETION_DATE).asText()).isEqualTo("2026-10-30");
        assertThat(s.facts().get(TrialField.PRIMARY_COMPLETION_DATE_TYPE).asText()).isEqualTo("ACTUAL");
        assertThat(s.facts().get(TrialField.COMPLETION_DATE).asText()).isEqualTo("2026-10-30");
        assertThat(s.facts().get(TrialField.START_DATE_TYPE).asText()).isEqualTo("ACTUAL");
        assertThat(s.facts().get(TrialField.SPONSOR).asText()).isEqualTo("Example Oncology Group");
        assertThat(s.facts().get(TrialField.CONDITIONS).get(0).asText()).isEqualTo("Biliary Tract Cancer");
        assertThat(s.facts().get(TrialField.INTERVENTIONS).get(0).asText()).isEqualTo("Drug A");
        assertThat(s.facts().get(TrialField.PHASES).get(0).asText()).isEqualTo("PHASE2");
        assertThat(s.facts().get(TrialField.HAS_RESULTS).asBoolean()).isFalse();
        assertThat(s.lastUpdatePostDate()).isEqualTo("2026-11-02");
        assertThat(s.facts().get(TrialField.LAST_KNOWN_STATUS).isNull()).isTrue();
    }

    @Test
    void aMonthPrecisionDateStaysAsWritten() {
        CtgovStudy s = Fixtures.study(PAGE1, "NCT09900003");
        assertThat(s.facts().get(TrialField.PRIMARY_COMPLETION_DATE).asText()).isEqualTo("2026-12");
        assertThat(s.facts().get(TrialField.PRIMARY_COMPLETION_DATE_TYPE).asText()).isEqualTo("ESTIMATED");
    }

    @Test
    void aRecruitingStudyClearsWhyStoppedButAStoppedOneWithoutItSaysNothing() {
        CtgovStudy recruiting = Fixtures.study("ctgov/studies-run1-page2.json", "NCT09900005");
        assertThat(recruiting.facts().get(TrialField.WHY_STOPPED).isNull()).isTrue();
        ObjectNode terminated = Fixtures.record(PAGE1, "NCT09900001").deepCopy();
        ((ObjectNode) terminated.path("protocolSection").path("statusModule")).remove("whyStopped");
        assertThat(CtgovStudy.parse(terminated, "u").facts()).doesNotContainKey(TrialField.WHY_STOPPED);
    }

    @Test
    void lastKnownStatusIsReadForAnUnknownStatus() {
        ObjectNode r = Fixtures.record(PAGE1, "NCT09900003").deepCopy();
        ObjectNode status = (ObjectNode) r.path("protocolSection").path("statusModule");
        status.put("overallStatus", "UNKNOWN");
        status.put("lastKnownStatus", "ACTIVE_NOT_RECRUITING");
        CtgovStudy s = CtgovStudy.parse(r, "u");
        assertThat(s.overallStatus()).isEqualTo(TrialStatus.UNKNOWN);
        assertThat(s.facts().get(TrialField.LAST_KNOWN_STATUS).asText()).isEqualTo("ACTIVE_NOT_RECRUITING");
    }

    @Test
    void aMalformedRecordNamesEveryProblem() {
        assertThatThrownBy(() -> Fixtures.study("ctgov/studies-run1-page2.json", "NCT09900006"))
                .isInstanceOf(MalformedStudyException.class)
                .satisfies(e -> {
                    MalformedStudyException m = (MalformedStudyException) e;
                    assertThat(m.nctId()).isEqualTo("NCT09900006");
                    assertThat(m.reasons()).anyMatch(r -> r.contains("RECRUTING"))
                            .anyMatch(r -> r.startsWith("enrollmentCount"));
                });
    }

    @Test
    void aRecordWithoutAnNctIdIsMalformed() {
        ObjectNode r = Fixtures.record(PAGE1, "NCT09900003").deepCopy();
        ((ObjectNode) r.path("protocolSection").path("identificationModule")).put("nctId", "12345");
        assertThatThrownBy(() -> CtgovStudy.parse(r, "u")).isInstanceOf(MalformedStudyException.class)
                .hasMessageContaining("nctId");
    }

    @Test
    void aPhaseOutsideTheEnumIsMalformed() {
        ObjectNode r = Fixtures.record(PAGE1, "NCT09900003").deepCopy();
        ((ObjectNode) r.path("protocolSection").path("designModule")).putArray("phases").add("PHASE2/PHASE3");
        assertThatThrownBy(() -> CtgovStudy.parse(r, "u")).isInstanceOf(MalformedStudyException.class)
                .hasMessageContaining("phases");
    }

    @Test
    void theFieldsParameterAsksOnlyForTheModulesRead() {
        assertThat(CtgovStudy.FIELDS.split(",")).contains("protocolSection.statusModule", "hasResults",
                "resultsSection.outcomeMeasuresModule").doesNotContain("protocolSection.eligibilityModule");
    }
}
