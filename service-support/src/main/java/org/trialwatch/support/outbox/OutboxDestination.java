package org.trialwatch.support.outbox;

/**
 * Where a service's outbox publishes: each service produces one of these (CDI {@code @Produces}) and the shared
 * writer, relay and producer do the rest.
 *
 * @param topic    the Kafka topic, e.g. {@code trial-events}
 * @param source   the CloudEvents {@code ce_source} of every event, e.g. {@code /trial-registry-service}
 * @param clientId the Kafka {@code client.id} of the relay's producer
 */
public record OutboxDestination(String topic, String source, String clientId) {
}
