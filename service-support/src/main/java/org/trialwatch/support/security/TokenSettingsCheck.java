package org.trialwatch.support.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start without the identity provider's key, issuer and audience. Production has no fallback for any of
 * them (a development default would accept tokens minted with the key published in this repository), so a missing
 * one stops the service with the environment variable to set, instead of failing every request later.
 */
@ApplicationScoped
public class TokenSettingsCheck {

    private static final Logger LOG = Logger.getLogger(TokenSettingsCheck.class);
    static final String DEVELOPMENT_ISSUER = "https://trialwatch.local/dev";

    void onStart(@Observes StartupEvent event) {
        var config = ConfigProvider.getConfig();
        List<String> missing = missing(name -> config.getOptionalValue(name, String.class));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Bearer-token verification is not configured: set " + String.join(", ", missing)
                    + " (see docs/security.md)");
        }
        if (DEVELOPMENT_ISSUER.equals(config.getValue("mp.jwt.verify.issuer", String.class))) {
            LOG.warn("Accepting DEVELOPMENT tokens (issuer " + DEVELOPMENT_ISSUER
                    + ", signed with the key published in the repository): never in production");
        }
    }

    /** The settings that are absent, each named by its environment variable and property. */
    static List<String> missing(Function<String, Optional<String>> setting) {
        List<String> missing = new ArrayList<>();
        if (setting.apply("mp.jwt.verify.publickey.location").isEmpty() && setting.apply("mp.jwt.verify.publickey").isEmpty()) {
            missing.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION (mp.jwt.verify.publickey.location: the identity provider's"
                    + " public key or JWKS URL)");
        }
        if (setting.apply("mp.jwt.verify.issuer").isEmpty()) {
            missing.add("MP_JWT_VERIFY_ISSUER (mp.jwt.verify.issuer)");
        }
        if (setting.apply("mp.jwt.verify.audiences").isEmpty()) {
            missing.add("MP_JWT_VERIFY_AUDIENCES (mp.jwt.verify.audiences: the audience tokens must be minted for)");
        }
        return missing;
    }
}
