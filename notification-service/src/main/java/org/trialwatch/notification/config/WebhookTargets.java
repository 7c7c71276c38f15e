package org.trialwatch.notification.config;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import org.trialwatch.notification.persistence.SecretBox;
import org.trialwatch.notification.delivery.webhook.WebhookTargetGuard;

/** Wires the plain-Java SSRF guard (operator's allow-list, system resolver) and the box that seals secrets. */
public class WebhookTargets {

    @Produces
    @Singleton
    WebhookTargetGuard guard(NotificationSettings settings) {
        return WebhookTargetGuard.withSystemDns(settings.webhooks().allowedHosts().orElse(Set.of()));
    }

    /** Built at start-up, so a missing or malformed key stops the service with the setting to fix. */
    @Produces
    @Singleton
    @Startup
    SecretBox secretBox(NotificationSettings settings) {
        return SecretBox.fromKeys(settings.webhooks().secretKeys().orElse(List.of()), new SecureRandom());
    }

}
