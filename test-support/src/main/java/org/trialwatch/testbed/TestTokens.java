package org.trialwatch.testbed;

import java.time.Duration;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints bearer tokens signed with the development key pair in {@code dev-keys/} — for tests and the local run only.
 * Services verify them with {@code dev-keys/jwt-public.pem} in dev and test; in production the operator supplies
 * the identity provider's key through {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} and {@code MP_JWT_VERIFY_ISSUER}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://trialwatch.local/dev";

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
        var builder = Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(roles).expiresIn(Duration.ofHours(12));
        if (team != null) {
            builder.claim("team", team);
        }
        return builder.jws().keyId("trialwatch-dev").sign(PemKeys.devPrivateKey());
    }
}
