package org.trialwatch.notification.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing secrets at rest: sealed with AES-256-GCM under a key the operator supplies, with the key's id stored
 * beside each sealed secret so keys can be rotated (new secrets are sealed under the first key; older ones are opened
 * with the key their id names until they are re-sealed). The subscription id is bound in as associated data, so a
 * sealed secret copied onto another subscription's row does not open. Nothing here logs or prints a secret.
 */
public final class SecretBox {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A sealed secret as stored: the id of the key it is sealed under and base64(iv || ciphertext+tag). */
    public record Sealed(String keyId, String value) {
        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + "]";
        }
    }

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random;

    private SecretBox(String currentKeyId, Map<String, SecretKeySpec> keys, SecureRandom random) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
        this.random = random;
    }

    /**
     * Keys as {@code id:base64} entries, the first one current, e.g. {@code 2026-12:BASE64,2026-06:BASE64}; each key
     * is 32 random bytes ({@code openssl rand -base64 32}).
     */
    public static SecretBox fromKeys(List<String> entries, SecureRandom random) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("no webhook secret key: set TRIALWATCH_WEBHOOKS_SECRET_KEYS to"
                    + " id:base64 entries (first one current), each key 32 random bytes (openssl rand -base64 32)");
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("a webhook secret key must be written id:base64 (the entry at"
                        + " position " + (keys.size() + 1) + " is not)");
            }
            String id = entry.substring(0, colon).trim();
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook secret key " + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("webhook secret key " + id + " must be 32 bytes, not " + key.length);
            }
            if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("webhook secret key id " + id + " is listed twice");
            }
        }
        return new SecretBox(keys.keySet().iterator().next(), Map.copyOf(keys), random);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    public Sealed seal(String secret, String boundTo) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return new Sealed(currentKeyId, Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a webhook secret", e);
        }
    }

    public String open(Sealed sealed, String boundTo) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("webhook secret sealed under key " + sealed.keyId()
                    + ", which is not among TRIALWATCH_WEBHOOKS_SECRET_KEYS");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.value());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a webhook secret sealed under key " + sealed.keyId()
                    + " does not open (wrong key or altered)", e);
        }
    }
}
