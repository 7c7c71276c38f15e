package org.trialwatch.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TokenSettingsCheckTest {

    @Test
    void productionWithoutTokenSettingsNamesEveryMissingVariable() {
        assertThat(TokenSettingsCheck.missing(name -> Optional.empty()))
                .hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("MP_JWT_VERIFY_PUBLICKEY_LOCATION"))
                .anySatisfy(m -> assertThat(m).startsWith("MP_JWT_VERIFY_ISSUER"))
                .anySatisfy(m -> assertThat(m).startsWith("MP_JWT_VERIFY_AUDIENCES"));
    }

    @Test
    void onlyTheMissingAudienceIsNamedWhenKeyAndIssuerAreSet() {
        Map<String, String> set = Map.of("mp.jwt.verify.publickey.location", "https://idp.example/jwks",
                "mp.jwt.verify.issuer", "https://idp.example/realm");
        assertThat(TokenSettingsCheck.missing(name -> Optional.ofNullable(set.get(name))))
                .singleElement().asString().startsWith("MP_JWT_VERIFY_AUDIENCES");
    }

    @Test
    void anInlineKeyIsAsGoodAsALocation() {
        Map<String, String> set = Map.of("mp.jwt.verify.publickey", "MIIB...", "mp.jwt.verify.issuer", "i",
                "mp.jwt.verify.audiences", "trialwatch");
        assertThat(TokenSettingsCheck.missing(name -> Optional.ofNullable(set.get(name)))).isEmpty();
    }
}
