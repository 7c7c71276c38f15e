package org.trialwatch.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trialwatch.events.PostedResult.ArmRole;
import org.trialwatch.events.PostedResult.Endpoint;
import org.trialwatch.events.PostedResult;

class PostedResultRulesTest {

    private static PostedResult result(Endpoint e, String value, Integer n, Integer responders, ArmRole role,
                                       String lower, String upper) {
        return new PostedResult(e, "arm", new BigDecimal(value), null,
                lower == null ? null : new PostedResult.ConfidenceInterval(new BigDecimal(lower), new BigDecimal(upper)),
                n, "test", role, responders);
    }

    private static List<String> fields(PostedResult r) {
        return PostedResultRules.check(List.of(r)).stream().map(FieldError::field).toList();
    }

    @Test
    void aPlausibleExperimentalArmPasses() {
        assertThat(fields(result(Endpoint.ORR, "30.0", 40, 12, ArmRole.EXPERIMENTAL, "16.6", "47.9"))).isEmpty();
        assertThat(fields(result(Endpoint.OS, "11.1", 342, null, ArmRole.CONTROL, "9.1", "13.1"))).isEmpty();
        assertThat(fields(result(Endpoint.HR, "0.72", null, null, null, "0.55", "0.94"))).isEmpty();
    }

    @Test
    void aPercentageOutsideZeroToHundredIsRefused() {
        assertThat(fields(result(Endpoint.ORR, "150", 20, null, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].value");
        assertThat(fields(result(Endpoint.DCR, "-1", 20, null, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].value");
    }

    @Test
    void noPatientsIsRefused() {
        assertThat(fields(result(Endpoint.ORR, "30", 0, null, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].n");
    }

    @Test
    void respondersMustBeWithinNAndMatchThePercentage() {
        assertThat(fields(result(Endpoint.ORR, "30", 10, 12, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].responders");
        assertThat(fields(result(Endpoint.ORR, "30", 40, 20, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].responders");
        assertThat(fields(result(Endpoint.ORR, "41.7", 12, 5, ArmRole.EXPERIMENTAL, null, null))).isEmpty();
        assertThat(fields(result(Endpoint.OS, "11", 40, 5, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].responders");
        assertThat(fields(result(Endpoint.ORR, "30", null, 5, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].responders");
    }

    @Test
    void anIntervalMustContainItsValue() {
        assertThat(fields(result(Endpoint.ORR, "30", 40, null, ArmRole.EXPERIMENTAL, "35", "50"))).containsExactly("results[0].ci95");
        assertThat(fields(result(Endpoint.OS, "6", 40, null, ArmRole.EXPERIMENTAL, "8", "5"))).containsExactly("results[0].ci95");
    }

    @Test
    void aNegativeDurationOrHazardRatioIsRefused() {
        assertThat(fields(result(Endpoint.OS, "-3", 40, null, ArmRole.EXPERIMENTAL, null, null))).containsExactly("results[0].value");
        assertThat(fields(result(Endpoint.HR, "0", null, null, null, null, null))).containsExactly("results[0].value");
    }

    @Test
    void everyEndpointButAHazardRatioNeedsItsArmRole() {
        assertThat(fields(result(Endpoint.ORR, "30", 40, null, null, null, null))).containsExactly("results[0].armRole");
        assertThat(fields(result(Endpoint.PFS, "3", 40, null, null, null, null))).containsExactly("results[0].armRole");
    }

    @Test
    void eachBrokenRuleNamesItsResult() {
        List<FieldError> errors = PostedResultRules.check(List.of(
                result(Endpoint.ORR, "30", 40, null, ArmRole.EXPERIMENTAL, null, null),
                result(Endpoint.ORR, "130", 0, null, null, null, null)));
        assertThat(errors).extracting(FieldError::field)
                .containsExactlyInAnyOrder("results[1].n", "results[1].armRole", "results[1].value");
    }
}
