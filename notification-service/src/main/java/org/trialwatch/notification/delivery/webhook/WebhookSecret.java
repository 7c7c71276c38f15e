package org.trialwatch.notification.delivery.webhook;

import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks symmetric secrets: {@code whsec_} + base64 of 24–64 random bytes. */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";

    private WebhookSecret() {
    }

    public static String generate(SecureRandom random, int bytes) {
        if (bytes < 24 || bytes > 64) {
            throw new IllegalArgumentException("a secret has 24 to 64 random bytes, not " + bytes);
        }
        byte[] key = new byte[bytes];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
