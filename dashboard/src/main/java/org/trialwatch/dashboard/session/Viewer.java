package org.trialwatch.dashboard.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import jakarta.enterprise.context.RequestScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

import org.trialwatch.dashboard.config.DashboardConfig;

/**
 * Who is looking at the page: nobody, a person signed in through the operator's identity provider (OIDC code flow),
 * or — in the local run — through the development sign-in. The dashboard only forwards their token; the services
 * check it and decide what their team may see.
 */
@RequestScoped
@jakarta.inject.Named("viewer")
public class Viewer {

    public static final String DEV_COOKIE = "tw_dev_session";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final String team;
    private final String name;
    private final boolean development;

    public Viewer(RoutingContext request, SecurityIdentity identity, DashboardConfig config) {
        String t = null;
        boolean dev = false;
        AccessTokenCredential oidc = identity == null || identity.isAnonymous() ? null
                : identity.getCredential(AccessTokenCredential.class);
        if (oidc != null) {
            t = oidc.getToken();
        } else {
            Cookie cookie = request.request().getCookie(DEV_COOKIE);
            if (cookie != null && !cookie.getValue().isBlank()) {
                t = cookie.getValue();
                dev = true;
            }
        }
        JsonNode claims = t == null ? null : claims(t);
        if (claims == null || claims.path("exp").asLong(Long.MAX_VALUE) < Instant.now().getEpochSecond()) {
            t = null;
            dev = false;
        }
        this.token = t;
        this.development = dev;
        this.team = claims == null || t == null ? null : claims.path(config.teamClaim()).asText(null);
        this.name = claims == null || t == null ? null
                : claims.hasNonNull("upn") ? claims.path("upn").asText() : claims.path("sub").asText(null);
    }

    public boolean signedIn() {
        return token != null;
    }

    public String team() {
        return team;
    }

    public String name() {
        return name;
    }

    public boolean development() {
        return development;
    }

    /** The Authorization header value for the services. */
    public String bearer() {
        return token == null ? null : "Bearer " + token;
    }

    /** The token's claims, read for display only: its signature is checked by the services it is sent to. */
    private static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }
}
