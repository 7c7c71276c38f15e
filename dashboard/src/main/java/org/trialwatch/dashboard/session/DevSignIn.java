package org.trialwatch.dashboard.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.jwt.build.Jwt;

import org.trialwatch.dashboard.config.DashboardConfig;

/**
 * The local run's sign-in: mints the same kind of token the services accept (issuer, {@code groups: [subscriber]},
 * {@code team}), signed with the development key. It refuses to exist outside the local, dev and test profiles, so a
 * production deployment cannot turn it on by accident.
 */
@ApplicationScoped
@Startup // built at start, so a refused profile stops the application instead of waiting for the first sign-in
public class DevSignIn {

    static final List<String> PROFILES_ALLOWED = List.of("local", "dev", "test");
    private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private final DashboardConfig.DevSignIn config;
    private final PrivateKey key;

    public DevSignIn(DashboardConfig config) {
        this.config = config.devSignIn();
        if (!this.config.enabled()) {
            this.key = null;
            return;
        }
        refuseOutsideLocalProfiles(ConfigUtils.getProfiles());
        this.key = readKey(this.config.privateKeyLocation().orElseThrow(() -> new IllegalStateException(
                "the development sign-in needs trialwatch.dashboard.dev-sign-in.private-key-location")));
    }

    /** The development sign-in may be turned on only in a local, dev or test profile. */
    static void refuseOutsideLocalProfiles(List<String> activeProfiles) {
        if (activeProfiles.stream().noneMatch(PROFILES_ALLOWED::contains)) {
            throw new IllegalStateException("trialwatch.dashboard.dev-sign-in.enabled=true is refused in profile "
                    + activeProfiles + ": the development sign-in is for the 'local' profile only (QUARKUS_PROFILE=local)");
        }
    }

    public boolean enabled() {
        return key != null;
    }

    /** A team name as the services' filters and URLs can carry it; null when it is not one. */
    public static String validTeam(String team) {
        String t = team == null ? "" : team.trim().toLowerCase(java.util.Locale.ROOT);
        return TEAM.matcher(t).matches() ? t : null;
    }

    public String tokenFor(String team) {
        if (!enabled()) {
            throw new IllegalStateException("development sign-in is off");
        }
        String subject = team + "-member@trialwatch.local";
        return Jwt.issuer(config.issuer()).audience(config.audience()).subject(subject).upn(subject).groups(Set.of("subscriber"))
                .claim("team", team).expiresIn(config.tokenLifetime()).jws().keyId("trialwatch-dev").sign(key);
    }

    private static PrivateKey readKey(String location) {
        try (InputStream in = location.startsWith("classpath:")
                ? Thread.currentThread().getContextClassLoader().getResourceAsStream(location.substring("classpath:".length()))
                : Files.newInputStream(Path.of(location))) {
            if (in == null) {
                throw new IllegalStateException("no development key at " + location);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development signing key at " + location, e);
        }
    }
}
