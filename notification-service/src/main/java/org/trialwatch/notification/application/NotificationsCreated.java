package org.trialwatch.notification.application;

/**
 * The intake wrote {@code count} new notifications. Fired inside the intake's transaction; the dispatcher observes it
 * once that transaction has committed, so it never looks for rows it cannot see yet, and a rolled-back intake wakes
 * nobody.
 */
public record NotificationsCreated(int count) {
}
