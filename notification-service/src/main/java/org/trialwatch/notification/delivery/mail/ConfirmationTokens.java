package org.trialwatch.notification.delivery.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token in an e-mail confirmation link: HMAC-SHA256, under a key only the service holds, of the subscription id,
 * the address and the link's expiry. It cannot be guessed or made for another subscription or address, a link for an
 * address that has since been changed no longer confirms, and an old link stops working when it expires. Nothing is
 * stored: the link carries its expiry and the check recomputes the token. Each {@link Purpose} signs under its own
 * label, so a link that confirms a subscription's address never confirms the same address as its contact, nor the
 * other way round.
 */
public final class ConfirmationTokens {

    /** What a link says when checked. */
    public enum Check {
        VALID, EXPIRED, INVALID
    }

    /** What a link confirms. */
    public enum Purpose {
        /** The address of an e-mail subscription, which then receives its notifications. */
        SUBSCRIPTION_ADDRESS("trialwatch-email-confirmation"),
        /** A subscription's contact address, which then receives notices of a failing or disabled endpoint. */
        CONTACT_ADDRESS("trialwatch-contact-email-confirmation");

        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    private ConfirmationTokens(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** A base64 key of at least 32 random bytes ({@code openssl rand -base64 32}). */
    public static ConfirmationTokens fromBase64Key(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("no e-mail confirmation key: set TRIALWATCH_MAIL_CONFIRMATION_KEY to"
                    + " at least 32 random bytes in base64 (openssl rand -base64 32)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TRIALWATCH_MAIL_CONFIRMATION_KEY is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("TRIALWATCH_MAIL_CONFIRMATION_KEY must be at least " + MIN_KEY_BYTES
                    + " bytes, not " + key.length);
        }
        return new ConfirmationTokens(key);
    }

    public String token(UUID subscriptionId, String email, Instant expires) {
        return token(Purpose.SUBSCRIPTION_ADDRESS, subscriptionId, email, expires);
    }

    public String token(Purpose purpose, UUID subscriptionId, String email, Instant expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] signed = mac.doFinal((purpose.label + "\n" + subscriptionId + "\n"
                    + email.trim().toLowerCase(Locale.ROOT) + "\n" + expires.getEpochSecond())
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code token} confirms {@code email} for the subscription; a wrong token is INVALID even if expired. */
    public Check check(UUID subscriptionId, String email, long expiresEpochSecond, String token, Instant now) {
        return check(Purpose.SUBSCRIPTION_ADDRESS, subscriptionId, email, expiresEpochSecond, token, now);
    }

    /** As above, for a link of the given purpose. */
    public Check check(Purpose purpose, UUID subscriptionId, String email, long expiresEpochSecond, String token,
                       Instant now) {
        if (token == null || email == null) {
            return Check.INVALID;
        }
        Instant expires = Instant.ofEpochSecond(expiresEpochSecond);
        byte[] expected = token(purpose, subscriptionId, email, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))) {
            return Check.INVALID;
        }
        return now.isAfter(expires) ? Check.EXPIRED : Check.VALID;
    }
}
