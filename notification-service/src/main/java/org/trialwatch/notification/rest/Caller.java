package org.trialwatch.notification.rest;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

import org.trialwatch.notification.domain.subscription.Subscription;
import org.trialwatch.support.problem.Problem;
import org.trialwatch.support.problem.ProblemException;

/** Who is calling: the team comes from the token's {@code team} claim only, never from the path or body. */
@RequestScoped
public class Caller {

    public static final String SUBSCRIBER = "subscriber";
    public static final String OPERATOR = "operator";

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public Caller(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    public boolean isOperator() {
        return identity.hasRole(OPERATOR);
    }

    public String team() {
        Object team = token.getClaim("team");
        String value = team == null ? null : team.toString().replace("\"", "").trim();
        if (value == null || value.isEmpty() || !identity.hasRole(SUBSCRIBER)) {
            throw new ProblemException(Problem.of("no-team", "No team", 403,
                    "only a subscriber token with a team claim can own subscriptions"));
        }
        return value;
    }

    /** Whose stream connections these are, for the per-team cap: the team, or all operators together. */
    public String streamOwner() {
        if (isOperator()) {
            return "operators";
        }
        return team();
    }

    /** The caller is a member of the team that owns it (an operator, who has no team, owns nothing). */
    public boolean owns(Subscription subscription) {
        Object team = token.getClaim("team");
        return team != null && identity.hasRole(SUBSCRIBER)
                && subscription.team().equals(team.toString().replace("\"", "").trim());
    }

    /** Another team's subscription is answered as absent, whatever the method: its existence is not disclosed. */
    public boolean sees(Subscription subscription) {
        if (isOperator()) {
            return true;
        }
        Object team = token.getClaim("team");
        return team != null && subscription.team().equals(team.toString().replace("\"", "").trim());
    }
}
