package org.trialwatch.notification.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import org.trialwatch.notification.delivery.mail.ConfirmationTokens;

/** Wires the key that signs e-mail confirmation links (TRIALWATCH_MAIL_CONFIRMATION_KEY). */
public class ConfirmationKey {

    /** Built at start-up, so a missing or malformed key stops the service with the setting to fix. */
    @Produces
    @Singleton
    @Startup
    ConfirmationTokens confirmationTokens(NotificationSettings settings) {
        return ConfirmationTokens.fromBase64Key(settings.mail().confirmationKey().orElse(null));
    }
}
