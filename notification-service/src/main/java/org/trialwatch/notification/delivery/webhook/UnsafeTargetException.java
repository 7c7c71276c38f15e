package org.trialwatch.notification.delivery.webhook;

/** A webhook URL this service refuses to call, with a reason fit to show the subscriber. */
public class UnsafeTargetException extends Exception {

    public UnsafeTargetException(String reason) {
        super(reason);
    }
}
