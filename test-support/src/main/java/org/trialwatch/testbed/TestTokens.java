package org.trialwatch.testbed;

import java.time.Duration;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints bearer tokens signed with the development key pair in {@code dev-keys/} — for tests and the local run only.
 * Services accept them in the dev and test profiles and in the local run's {@code local} profile (issuer
 * {@link #ISSUER}, audience {@link #AUDIENCE}); in production the operator supplies the identity provider's key,
 * issuer and audience through {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}, {@code MP_JWT_VERIFY_ISSUER} and
 * {@code MP_JWT_VERIFY_AUDIENCES}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://trialwatch.local/dev";
    public static final String AUDIENCE = "trialwatch";
    /** As long as the services accept in the dev, test and local profiles (mp.jwt.verify.token.age there). */
    public static final Duration LIFETIME = Duration.ofHours(12);

    private TestTokens() {
    }

    public static String curator() {
        return token("curator@trialwatch.local", Set.of("curator"), null);
    }

    public static String subscriber(String team) {
        return token(team + "-member@trialwatch.local", Set.of("subscriber"), team);
    }

    public static String operator() {
        return token("operator@trialwatch.local", Set.of("operator"), null);
    }

    public static String token(String subject, Set<String> roles, String team) {
        var builder = Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).upn(subject).groups(roles)
                .expiresIn(LIFETIME);
        if (team != null) {
            builder.claim("team", team);
        }
        return builder.jws().keyId("trialwatch-dev").sign(PemKeys.devPrivateKey());
    }
}
