package org.trialwatch.dashboard.session;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class DevSignInTest {

    @Test
    void theDevelopmentSignInIsRefusedInProductionAndAnyOtherProfile() {
        assertThatThrownBy(() -> DevSignIn.refuseOutsideLocalProfiles(List.of("prod")))
                .hasMessageContaining("refused in profile [prod]").hasMessageContaining("QUARKUS_PROFILE=local");
        assertThatThrownBy(() -> DevSignIn.refuseOutsideLocalProfiles(List.of("staging")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLocalDevAndTestProfilesMayTurnItOn() {
        for (String profile : List.of("local", "dev", "test")) {
            assertThatCode(() -> DevSignIn.refuseOutsideLocalProfiles(List.of(profile))).doesNotThrowAnyException();
        }
    }

    @Test
    void aTeamNameIsLowerCaseLettersDigitsAndDashes() {
        Assertions.assertThat(DevSignIn.validTeam(" Team-A ")).isEqualTo("team-a");
        Assertions.assertThat(DevSignIn.validTeam("team a")).isNull();
        Assertions.assertThat(DevSignIn.validTeam("")).isNull();
        Assertions.assertThat(DevSignIn.validTeam("\"><script>")).isNull();
    }
}
