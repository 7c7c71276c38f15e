package org.trialwatch.registry.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.domain.FieldError;
import org.trialwatch.registry.domain.InvalidInputException;
import org.trialwatch.registry.persistence.Trial;

class TrialInputTest {

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) EventJson.mapper().readTree(s);
    }

    @Test
    void malformedNctIdIsRejectedNamingTheField() {
        assertThatThrownBy(() -> TrialInput.requireNctId("NCT1234", "nctId"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("nctId"));
    }

    @Test
    void nctIdsAreCaseInsensitiveAndComeBackInTheirCanonicalForm() throws Exception {
        assertThat(TrialInput.requireNctId("nct05379985", "nctId")).isEqualTo("NCT05379985");
        assertThat(TrialInput.requireNctId(" Nct05379985 ", "nctId")).isEqualTo("NCT05379985");
        assertThat(TrialInput.newTrial(json("{\"nctId\":\"nct05379985\"}")).nctId)
                .isEqualTo("NCT05379985");
    }

    @Test
    void newTrialKeepsUnknownFactsUnknown() throws Exception {
        Trial t = TrialInput.newTrial(json("{\"nctId\":\"NCT01234567\",\"tumourTypes\":[\"PC\"]}"));
        assertThat(t.nctId).isEqualTo("NCT01234567");
        assertThat(t.overallStatus).isNull();
        assertThat(t.enrollmentCount).isNull();
        assertThat(t.tumourTypes).containsExactly("PC");
    }

    @Test
    void everyInvalidFieldIsReportedTogether() throws Exception {
        assertThatThrownBy(() -> TrialInput.newTrial(json(
                "{\"nctId\":\"x\",\"overallStatus\":\"OPEN\",\"phases\":[\"PHASE9\"],\"startDate\":\"2024-13-01\",\"colour\":1}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("nctId", "overallStatus", "phases", "startDate", "colour"));
    }

    @Test
    void partialRegistryDatesAreAcceptedWithoutInventingADay() throws Exception {
        Trial t = TrialInput.newTrial(json("{\"nctId\":\"NCT01234567\",\"startDate\":\"2018-12\",\"completionDate\":\"2027\"}"));
        assertThat(t.startDate).isEqualTo("2018-12");
        assertThat(t.completionDate).isEqualTo("2027");
    }

    @Test
    void patchCannotChangeTheStatusBehindTheHistorysBack() throws Exception {
        assertThatThrownBy(() -> TrialInput.patch(json("{\"overallStatus\":\"COMPLETED\"}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors().get(0).reason())
                        .contains("status-changes"));
    }

    @Test
    void patchRejectsNegativeEnrollmentAndUnknownEnrollmentType() throws Exception {
        assertThatThrownBy(() -> TrialInput.patch(json("{\"enrollmentCount\":-1,\"enrollmentType\":\"GUESSED\"}")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("enrollmentCount", "enrollmentType"));
    }

    @Test
    void patchWithNullMakesAFieldUnknown() throws Exception {
        var fields = TrialInput.patch(json("{\"acronym\":null}"));
        Trial t = new Trial();
        t.acronym = "S1815";
        TrialField.ACRONYM.write(t, TrialField.ACRONYM.parse(fields.get(TrialField.ACRONYM)));
        assertThat(t.acronym).isNull();
    }

    @Test
    void knownStatusIsParsed() throws Exception {
        assertThat(TrialInput.newTrial(json("{\"nctId\":\"NCT01234567\",\"overallStatus\":\"RECRUITING\"}")).overallStatus)
                .isEqualTo(TrialStatus.RECRUITING);
    }
}
