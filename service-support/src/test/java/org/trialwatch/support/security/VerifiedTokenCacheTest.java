package org.trialwatch.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;

import org.trialwatch.testbed.PemKeys;
import org.trialwatch.testbed.TestTokens;

/** The cache in front of SmallRye's verifier, with the development key and real RS256 tokens. */
class VerifiedTokenCacheTest {

    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    private VerifiedTokenCache cache(Duration hold) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(PemKeys.devPublicKey(), TestTokens.ISSUER);
        context.setExpectedAudience(Set.of(TestTokens.AUDIENCE));
        DefaultJWTParser smallrye = new DefaultJWTParser(context) {
            @Override
            public JsonWebToken parse(String token) throws ParseException {
                verifications.incrementAndGet();
                return super.parse(token);
            }
        };
        return new VerifiedTokenCache(smallrye, hold, 100, now::get);
    }

    @Test
    void aRepeatedTokenIsVerifiedOnce() throws Exception {
        VerifiedTokenCache cache = cache(Duration.ofSeconds(30));
        String token = TestTokens.subscriber("team-a");

        JsonWebToken first = cache.parse(token);
        JsonWebToken second = cache.parse(token);

        assertThat(second.getClaim("team").toString()).isEqualTo("team-a");
        assertThat(second).isSameAs(first);
        assertThat(verifications).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsStillRefused() throws Exception {
        VerifiedTokenCache cache = cache(Duration.ofSeconds(30));
        String token = TestTokens.subscriber("team-a");
        cache.parse(token);
        String[] parts = token.split("\\.");
        String otherTeam = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("team-a", "team-b").getBytes());

        assertThatThrownBy(() -> cache.parse(parts[0] + "." + otherTeam + "." + parts[2]))
                .isInstanceOf(ParseException.class);
    }

    @Test
    void aRememberedTokenIsNotAcceptedPastItsExpiry() throws Exception {
        VerifiedTokenCache cache = cache(Duration.ofMinutes(10));
        String token = Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).subject("s").groups("subscriber")
                .claim("team", "team-a").expiresIn(Duration.ofSeconds(5)).jws().keyId("trialwatch-dev")
                .sign(PemKeys.devPrivateKey());
        cache.parse(token);

        now.addAndGet(Duration.ofSeconds(6).toMillis()); // the cache's clock passes exp; SmallRye's real clock has not
        cache.parse(token);

        assertThat(verifications).as("verified again rather than answered from the cache").hasValue(2);
        assertThat(cache.hits()).isZero();
    }

    @Test
    void aHoldOfZeroVerifiesEveryTime() throws Exception {
        VerifiedTokenCache cache = cache(Duration.ZERO);
        String token = TestTokens.curator();

        cache.parse(token);
        cache.parse(token);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRefusedTokenIsNotRemembered() {
        VerifiedTokenCache cache = cache(Duration.ofSeconds(30));
        String wrongAudience = Jwt.issuer(TestTokens.ISSUER).audience("another-app").subject("s").groups("curator")
                .expiresIn(Duration.ofMinutes(5)).jws().keyId("trialwatch-dev").sign(PemKeys.devPrivateKey());

        assertThatThrownBy(() -> cache.parse(wrongAudience)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> cache.parse(wrongAudience)).isInstanceOf(ParseException.class);
        assertThat(verifications).hasValue(2);
    }
}
