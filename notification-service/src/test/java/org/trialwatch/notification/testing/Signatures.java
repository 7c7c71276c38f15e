package org.trialwatch.notification.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.standardwebhooks.Webhook;
import org.trialwatch.testbed.WebhookReceiver;

/** Receiver-side checks: the reference Standard Webhooks library, and a verifier written here from the spec text. */
public final class Signatures {

    private Signatures() {
    }

    /** Throws unless the reference library accepts the delivery. */
    public static void verifyWithReferenceLibrary(WebhookReceiver.Received r, String secret) throws Exception {
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(r.header("webhook-id")),
                "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                "webhook-signature", List.of(r.header("webhook-signature")));
        new Webhook(secret).verify(r.body(), headers);
    }

    /** The spec's recipe, independently of the service's signer: HMAC-SHA256 of id.timestamp.body, base64, "v1,". */
    public static boolean independentlyValid(WebhookReceiver.Received r, String secret) throws Exception {
        long timestamp = Long.parseLong(r.header("webhook-timestamp"));
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = mac.doFinal((r.header("webhook-id") + "." + timestamp + "." + r.body())
                .getBytes(StandardCharsets.UTF_8));
        return Arrays.stream(r.header("webhook-signature").split(" "))
                .filter(s -> s.startsWith("v1,"))
                .map(s -> Base64.getDecoder().decode(s.substring(3)))
                .anyMatch(sig -> MessageDigest.isEqual(sig, expected));
    }
}
