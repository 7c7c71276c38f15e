package org.trialwatch.notification.domain.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trialwatch.support.problem.FieldError;

class FilterValidationTest {

    @Test
    void acceptsWellFormedValues() {
        SubscriptionFilter ok = new SubscriptionFilter(List.of("NCT05379985"), List.of("btc", "PC"), List.of("FGFR2"),
                List.of("targeted"), List.of("trial.status-changed", "org.trialwatch.evidence.summary-updated.v1"),
                List.of("->TERMINATED", "RECRUITING->COMPLETED", "NONE->RECRUITING"), List.of("PC.advanced.targeted.KRAS"));
        assertThat(FilterValidation.errors(ok)).isEmpty();
    }

    @Test
    void namesEachBadValueByFieldAndIndex() {
        SubscriptionFilter bad = new SubscriptionFilter(List.of("NCT123"), List.of("lung"), List.of("--"), null,
                List.of("trial.deleted"), List.of("TERMINATED", "->FINISHED"), null);
        assertThat(FilterValidation.errors(bad)).extracting(FieldError::field).containsExactly(
                "filter.nctIds[0]", "filter.tumourTypes[0]", "filter.mechanisms[0]", "filter.eventTypes[0]",
                "filter.statusTransitions[0]", "filter.statusTransitions[1]");
    }

    @Test
    void rejectsBlankValues() {
        SubscriptionFilter blank = new SubscriptionFilter(List.of(" "), null, null, null, null, null, null);
        assertThat(FilterValidation.errors(blank)).containsExactly(new FieldError("filter.nctIds[0]", "must not be blank"));
    }
}
