package org.trialwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrialStatusTest {

    @Test
    void stoppedMeansSuspendedTerminatedOrWithdrawn() {
        var stopped = Arrays.stream(TrialStatus.values()).filter(TrialStatus::isStopped)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(TrialStatus.class)));
        assertThat(stopped).containsExactlyInAnyOrder(TrialStatus.SUSPENDED, TrialStatus.TERMINATED,
                TrialStatus.WITHDRAWN);
    }

    @Test
    void textFormAgreesAndToleratesUnknownNames() {
        for (TrialStatus s : TrialStatus.values()) {
            assertThat(TrialStatus.isStopped(s.name())).as(s.name()).isEqualTo(s.isStopped());
        }
        assertThat(TrialStatus.isStopped((String) null)).isFalse();
        assertThat(TrialStatus.isStopped("terminated")).isFalse();
        assertThat(TrialStatus.isStopped("HALTED")).isFalse();
    }
}
