package org.trialwatch.notification.subscription;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a subscription is told. The live stream needs no subscription: it takes the same filters as query parameters. */
public enum Channel {
    @JsonProperty("webhook") WEBHOOK,
    @JsonProperty("email") EMAIL
}
