package org.trialwatch.notification.intake;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** A CloudEvent read from Kafka that passed the contract checks. */
public record IncomingEvent(String topic, String id, String type, String subject, Instant time, JsonNode payload) {
}
