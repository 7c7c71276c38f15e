package org.trialwatch.notification.domain.delivery;

import java.time.Duration;

/** What happens to a notification after an attempt. */
public sealed interface DeliveryDecision {

    record Delivered() implements DeliveryDecision {
    }

    /** Try again after {@code delay}. */
    record RetryLater(Duration delay) implements DeliveryDecision {
    }

    /** No attempts left: dead-lettered until someone replays it. */
    record DeadLetter(String reason) implements DeliveryDecision {
    }

    /** The receiver said the endpoint is gone (410): dead-letter and disable the subscription. */
    record DisableEndpoint(String reason) implements DeliveryDecision {
    }
}
