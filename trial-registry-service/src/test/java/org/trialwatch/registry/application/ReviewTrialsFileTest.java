package org.trialwatch.registry.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.persistence.Trial;

class ReviewTrialsFileTest {

    private static List<Trial> trials;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = ReviewTrialsFileTest.class.getClassLoader().getResourceAsStream(ReviewTrialsFile.RESOURCE)) {
            trials = new ReviewTrialsFile(EventJson.mapper()).read(in);
        }
    }

    private static Trial trial(String id) {
        return trials.stream().filter(t -> t.nctId.equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theReviewNamesFourteenTrials() {
        assertThat(trials).hasSize(14).extracting(t -> t.nctId).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("NCT\\d{8}"));
    }

    @Test
    void onlyTheFourSourcedStatusesAreKnown() {
        assertThat(trials).filteredOn(t -> t.overallStatus != null)
                .extracting(t -> t.nctId + "=" + t.overallStatus)
                .containsExactlyInAnyOrder("NCT05737706=TERMINATED", "NCT05379985=RECRUITING",
                        "NCT06128551=RECRUITING", "NCT04333927=ACTIVE_NOT_RECRUITING");
    }

    @Test
    void terminatedTrialKeepsItsWhyStoppedAndTheDatedSourceOfEachFact() {
        Trial t = trial("NCT05737706");
        assertThat(t.whyStopped).isEqualTo("Formulation challenges");
        assertThat(t.phases).containsExactly("PHASE1", "PHASE2");
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) t.factSources.get("overallStatus");
        assertThat(status).containsEntry("asOf", "2026-09-14").containsEntry("sourceKind", "quotes-registry");
        assertThat(t.factSources).containsKeys("briefTitle", "whyStopped", "phases", "completionDate");
    }

    @Test
    void aTrialWithoutRegistryReadingsHasUnknownRegistryFactsButKeepsTheReviewsWords() {
        Trial t = trial("NCT03768414");
        assertThat(t.briefTitle).isNull();
        assertThat(t.sponsor).isNull();
        assertThat(t.enrollmentCount).isNull();
        assertThat(t.overallStatus).isNull();
        assertThat(t.tumourTypes).containsExactly("BTC");
        assertThat(t.therapyClass).isEqualTo("chemotherapy");
        assertThat(t.reviewProvenance).containsEntry("section", "2.3").containsEntry("phaseStated", "III");
        // site pages and news are kept for curators, never as registry facts
        assertThat(t.unverifiedReadings).isNotEmpty();
    }

    @Test
    void tableFourTrialsKeepTheirTableRow() {
        assertThat(trial("NCT04753879").reviewProvenance).containsEntry("table", "Table 4").containsEntry("tableRow", 9);
        assertThat(trial("NCT04493060").reviewProvenance).containsEntry("table", "Table 4").containsEntry("tableRow", 10);
    }

    @Test
    void enrollmentIsTakenAsReadWithItsType() {
        Trial t = trial("NCT05379985");
        assertThat(t.enrollmentCount).isEqualTo(754);
        assertThat(t.enrollmentType).isEqualTo("ESTIMATED");
        assertThat(t.hasResults).isFalse();
        assertThat(t.overallStatus).isEqualTo(TrialStatus.RECRUITING);
    }
}
