package org.trialwatch.notification.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUBSCRIPTION = "5f0c6f0e-8a53-4b5e-9d7e-0b7b4b1f2a10";

    private static String key(String id) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return id + ":" + Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void aSealedSecretOpensAndDoesNotShowTheSecret() {
        SecretBox box = SecretBox.fromKeys(List.of(key("k1")), RANDOM);
        SecretBox.Sealed sealed = box.seal("whsec_c2VjcmV0LXZhbHVl", SUBSCRIPTION);
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.value()).doesNotContain("c2VjcmV0LXZhbHVl");
        assertThat(sealed.toString()).doesNotContain(sealed.value());
        assertThat(box.open(sealed, SUBSCRIPTION)).isEqualTo("whsec_c2VjcmV0LXZhbHVl");
        assertThat(box.seal("whsec_c2VjcmV0LXZhbHVl", SUBSCRIPTION).value()).isNotEqualTo(sealed.value());
    }

    @Test
    void aSecretCopiedToAnotherSubscriptionOrAlteredDoesNotOpen() {
        SecretBox box = SecretBox.fromKeys(List.of(key("k1")), RANDOM);
        SecretBox.Sealed sealed = box.seal("whsec_abc", SUBSCRIPTION);
        assertThatThrownBy(() -> box.open(sealed, "another-subscription")).isInstanceOf(IllegalStateException.class);
        byte[] bytes = Base64.getDecoder().decode(sealed.value());
        bytes[bytes.length - 1] ^= 1;
        SecretBox.Sealed altered = new SecretBox.Sealed("k1", Base64.getEncoder().encodeToString(bytes));
        assertThatThrownBy(() -> box.open(altered, SUBSCRIPTION)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("whsec_abc");
    }

    @Test
    void afterRotationNewSecretsUseTheNewKeyAndOldOnesStillOpen() {
        String oldKey = key("2026-06");
        SecretBox.Sealed old = SecretBox.fromKeys(List.of(oldKey), RANDOM).seal("whsec_old", SUBSCRIPTION);
        SecretBox rotated = SecretBox.fromKeys(List.of(key("2026-12"), oldKey), RANDOM);
        assertThat(rotated.open(old, SUBSCRIPTION)).isEqualTo("whsec_old");
        assertThat(rotated.seal("whsec_new", SUBSCRIPTION).keyId()).isEqualTo("2026-12");
        SecretBox withoutOld = SecretBox.fromKeys(List.of(key("2026-12")), RANDOM);
        assertThatThrownBy(() -> withoutOld.open(old, SUBSCRIPTION)).hasMessageContaining("2026-06");
    }

    @Test
    void missingOrMalformedKeysAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SecretBox.fromKeys(List.of(), RANDOM)).hasMessageContaining("TRIALWATCH_WEBHOOKS_SECRET_KEYS");
        assertThatThrownBy(() -> SecretBox.fromKeys(List.of("nokeyid"), RANDOM)).hasMessageContaining("id:base64");
        assertThatThrownBy(() -> SecretBox.fromKeys(List.of("k:c2hvcnQ="), RANDOM)).hasMessageContaining("32 bytes");
        String k = key("same");
        assertThatThrownBy(() -> SecretBox.fromKeys(List.of(k, k), RANDOM)).hasMessageContaining("twice");
    }
}
