package org.trialwatch.notification.config;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.trialwatch.notification.webhook.WebhookTargetGuard;

/** Wires the plain-Java SSRF guard with the operator's allow-list and the system resolver. */
public class WebhookTargets {

    @Produces
    @Singleton
    WebhookTargetGuard guard(NotificationSettings settings) {
        return WebhookTargetGuard.withSystemDns(settings.webhooks().allowedHosts().orElse(Set.of()));
    }
}
