package org.trialwatch.notification.rest;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import org.trialwatch.notification.persistence.SubscriptionStore;
import org.trialwatch.notification.persistence.SecretBox;

/**
 * The re-encryption command for webhook secrets at rest: after an operator puts a new key first in
 * TRIALWATCH_WEBHOOKS_SECRET_KEYS (keeping the old one listed) and restarts, this re-seals every secret under it.
 * It answers with counts only; no secret ever leaves the store through it.
 */
@Path("/api/operations/webhook-secrets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class SecretKeyResource {

    private static final Logger LOG = Logger.getLogger(SecretKeyResource.class);

    private final SubscriptionStore store;
    private final SecretBox box;

    public SecretKeyResource(SubscriptionStore store, SecretBox box) {
        this.store = store;
        this.box = box;
    }

    @POST
    @Path("/re-seal")
    public Map<String, Object> reseal() {
        int resealed = store.resealSecrets();
        LOG.infof("webhook secrets re-sealed under key %s: %d", box.currentKeyId(), resealed);
        return Map.of("keyId", box.currentKeyId(), "resealed", resealed);
    }
}
