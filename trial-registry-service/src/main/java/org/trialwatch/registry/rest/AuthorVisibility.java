package org.trialwatch.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who made a change ({@code recordedBy}, {@code postedBy}, {@code triggeredBy}) names a person: it is shown to
 * curators and operators, who answer for the record, and left out for anonymous readers and subscribers.
 */
final class AuthorVisibility {

    private AuthorVisibility() {
    }

    static boolean shownTo(SecurityIdentity identity) {
        return identity.hasRole("curator") || identity.hasRole("operator");
    }
}
