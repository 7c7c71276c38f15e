package org.trialwatch.notification.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

class WebhookSignerTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static Map<String, List<String>> headers(String id, long ts, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(signature));
    }

    @Test
    void referenceLibraryVerifiesOurSignature() throws Exception {
        String secret = WebhookSecret.generate(RANDOM, 32);
        String body = "{\"type\":\"trial.status_changed\",\"data\":{\"nctId\":\"NCT05379985\",\"note\":\"é\"}}";
        long ts = Instant.now().getEpochSecond();
        String header = WebhookSigner.signatureHeader("msg-1", ts, body.getBytes(StandardCharsets.UTF_8), List.of(secret));
        new Webhook(secret).verify(body, headers("msg-1", ts, header));
    }

    @Test
    void matchesTheSpecsTestVector() {
        // test vector of the Standard Webhooks reference libraries
        String signature = WebhookSigner.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringRotationBothSecretsVerify() throws Exception {
        String oldSecret = WebhookSecret.generate(RANDOM, 32);
        String newSecret = WebhookSecret.generate(RANDOM, 32);
        String body = "{}";
        long ts = Instant.now().getEpochSecond();
        String header = WebhookSigner.signatureHeader("msg-2", ts, body.getBytes(StandardCharsets.UTF_8),
                List.of(newSecret, oldSecret));
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        new Webhook(oldSecret).verify(body, headers("msg-2", ts, header));
        new Webhook(newSecret).verify(body, headers("msg-2", ts, header));
    }

    @Test
    void tamperedBodyFailsVerification() {
        String secret = WebhookSecret.generate(RANDOM, 24);
        long ts = Instant.now().getEpochSecond();
        String header = WebhookSigner.signatureHeader("msg-3", ts, "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                List.of(secret));
        assertThatThrownBy(() -> new Webhook(secret).verify("{\"a\":2}", headers("msg-3", ts, header)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void secretsHaveThePrefixAndTheRequestedLength() {
        String secret = WebhookSecret.generate(RANDOM, 64);
        assertThat(secret).startsWith("whsec_");
        assertThat(WebhookSecret.key(secret)).hasSize(64);
        assertThatThrownBy(() -> WebhookSecret.generate(RANDOM, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSecret.generate(RANDOM, 65)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsWithADotAreRefused() {
        assertThatThrownBy(() -> WebhookSigner.signature("a.b", 1, new byte[0], WebhookSecret.generate(RANDOM, 32)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
