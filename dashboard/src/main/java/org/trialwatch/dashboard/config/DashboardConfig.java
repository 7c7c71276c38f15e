package org.trialwatch.dashboard.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dashboard's own settings ({@code TRIALWATCH_DASHBOARD_*}); the services' addresses are the REST clients'. */
@ConfigMapping(prefix = "trialwatch.dashboard")
public interface DashboardConfig {

    /** Trials per page of the trials table. */
    @WithDefault("25")
    int pageSize();

    /** The claim of the identity provider's token that names the person's team. */
    @WithDefault("team")
    String teamClaim();

    /** How often the live feed sends a comment line so that proxies keep an idle stream open. */
    @WithDefault("15s")
    Duration liveHeartbeat();

    DevSignIn devSignIn();

    /**
     * A sign-in for the local run only: it signs tokens with the development key the local services trust. Off unless
     * a local, dev or test profile turns it on; the key is read from a file and never packaged.
     */
    interface DevSignIn {
        @WithDefault("false")
        boolean enabled();

        /** A file path, or {@code classpath:} followed by a resource name (tests). */
        Optional<String> privateKeyLocation();

        @WithDefault("https://trialwatch.local/dev")
        String issuer();

        /** The audience the services require (MP_JWT_VERIFY_AUDIENCES; `trialwatch` locally and in tests). */
        @WithDefault("trialwatch")
        String audience();

        @WithDefault("8h")
        Duration tokenLifetime();
    }
}
