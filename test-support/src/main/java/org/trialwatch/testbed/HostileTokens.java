package org.trialwatch.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Tokens a service must refuse, for the security tests: each is a curator token (or a subscriber token of team-a)
 * that is wrong in exactly one way.
 */
public final class HostileTokens {

    private HostileTokens() {
    }

    /** Expired an hour ago (well beyond any clock skew). */
    public static String expired() {
        Instant now = Instant.now();
        return sign(curatorClaims().issuedAt(now.minus(Duration.ofHours(2))).expiresAt(now.minus(Duration.ofHours(1))));
    }

    /** Not valid before an hour from now. */
    public static String notYetValid() {
        Instant now = Instant.now();
        return sign(curatorClaims().claim("nbf", now.plus(Duration.ofHours(1)).getEpochSecond())
                .expiresAt(now.plus(Duration.ofHours(2))));
    }

    /** Still unexpired, but issued longer ago than the services accept (mp.jwt.verify.token.age). */
    public static String issuedTooLongAgo() {
        Instant now = Instant.now();
        return sign(curatorClaims().issuedAt(now.minus(Duration.ofDays(2))).expiresAt(now.plus(Duration.ofHours(1))));
    }

    public static String wrongIssuer() {
        return sign(curatorClaims().issuer("https://someone-else.example/realm"));
    }

    /** Minted for another application of the same realm: right key, issuer and roles, other audience. */
    public static String wrongAudience() {
        return sign(curatorClaims().audience("another-app"));
    }

    public static String withoutAudience() {
        return Jwt.issuer(TestTokens.ISSUER).subject("curator@trialwatch.local").upn("curator@trialwatch.local")
                .groups(Set.of("curator")).expiresIn(Duration.ofHours(1))
                .jws().keyId("trialwatch-dev").sign(PemKeys.devPrivateKey());
    }

    /** A subscriber of no team: valid in every other way. */
    public static String subscriberWithoutTeam() {
        return TestTokens.token("nobody@trialwatch.local", Set.of("subscriber"), null);
    }

    /** {@code alg: none}: the claims of a valid curator token and no signature. */
    public static String unsigned() {
        return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(curatorPayload()) + ".";
    }

    /** HS256 keyed with the service's own public key (the algorithm-confusion attack on RS256 verifiers). */
    public static String hs256WithThePublicKey() {
        String signingInput = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"trialwatch-dev\"}") + "."
                + encode(curatorPayload());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(devPublicKeyPem(), "HmacSHA256"));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid curator token with its signature's last characters changed. */
    public static String tamperedSignature() {
        String token = TestTokens.curator();
        char last = token.charAt(token.length() - 2);
        return token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    }

    private static JwtClaimsBuilder curatorClaims() {
        return Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).subject("curator@trialwatch.local")
                .upn("curator@trialwatch.local").groups(Set.of("curator"));
    }

    private static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId("trialwatch-dev").sign(PemKeys.devPrivateKey());
    }

    private static String curatorPayload() {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\","
                + "\"sub\":\"curator@trialwatch.local\",\"upn\":\"curator@trialwatch.local\",\"groups\":[\"curator\"],"
                + "\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] devPublicKeyPem() {
        try (InputStream in = HostileTokens.class.getResourceAsStream("/dev-keys/jwt-public.pem")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
