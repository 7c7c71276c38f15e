package org.trialwatch.notification.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a delivery as the Standard Webhooks spec says: HMAC-SHA256 over {@code id.timestamp.body} with each live
 * secret, giving {@code v1,<base64>} entries separated by spaces (two during a rotation).
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static String signature(String messageId, long timestampSeconds, byte[] body, String secret) {
        if (messageId.contains(".")) {
            throw new IllegalArgumentException("a webhook id must not contain '.'");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhookSecret.key(secret), "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static String signatureHeader(String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no live secret to sign with");
        }
        return secrets.stream().map(s -> signature(messageId, timestampSeconds, body, s))
                .collect(Collectors.joining(" "));
    }
}
