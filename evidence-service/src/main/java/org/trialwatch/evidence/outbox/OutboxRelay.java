package org.trialwatch.evidence.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.Topics;
import org.trialwatch.evidence.config.EvidenceConfig;
import org.trialwatch.evidence.events.EventMetrics;
import org.trialwatch.evidence.store.OutboxStore;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes the outbox to {@code evidence-events} in {@code seq} order: a batch of unsent rows is locked, sent (the
 * channel is configured acks=all with idempotence, so order within a partition survives retries), and marked sent once
 * every record is acknowledged. If the broker is away the transaction rolls back and the rows wait; a crash between
 * send and mark sends them again with the same {@code ce_id}, which consumers deduplicate.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Emitter<byte[]> emitter;
    private final OutboxStore outbox;
    private final EventMetrics metrics;
    private final EvidenceConfig config;

    public OutboxRelay(@Channel(Topics.EVIDENCE_EVENTS) Emitter<byte[]> emitter, OutboxStore outbox, EventMetrics metrics,
                       EvidenceConfig config) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Publishes until the outbox is drained or a batch fails; returns how many rows it published, or -1 when a batch
     * failed and nothing was published (the caller then waits a poll interval rather than retrying at once).
     */
    public int drain() {
        int total = 0;
        try {
            int sent;
            do {
                sent = publishBatch();
                total += sent;
            } while (sent == config.outbox().batchSize());
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay: batch not published, will retry (%s)", e.getMessage());
            if (total == 0) {
                total = -1;
            }
        } finally {
            metrics.outboxBacklog(QuarkusTransaction.requiringNew().call(outbox::backlog));
        }
        return total;
    }

    /** Publishes one batch; returns how many rows it published. */
    public int publishBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OutboxStore.Entry> entries = outbox.lockUnsent(config.outbox().batchSize());
            if (entries.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (OutboxStore.Entry e : entries) {
                acks.add(send(e));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(config.outbox().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            List<UUID> ids = entries.stream().map(OutboxStore.Entry::id).toList();
            outbox.markSent(ids, Instant.now());
            LOG.debugf("outbox relay: published %d summary-updated event(s)", ids.size());
            return ids.size();
        });
    }

    private CompletableFuture<Void> send(OutboxStore.Entry e) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(headers, CloudEventHeaders.ID, e.id().toString());
        header(headers, CloudEventHeaders.SOURCE, config.source());
        header(headers, CloudEventHeaders.TYPE, e.eventType());
        header(headers, CloudEventHeaders.SUBJECT, e.groupKey());
        header(headers, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(e.occurredAt()));
        header(headers, CloudEventHeaders.DATA_SCHEMA, CloudEventHeaders.dataSchemaFor(e.eventType()));
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(e.groupKey()).withHeaders(headers).build();
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<byte[]> message = Message.of(e.payload().getBytes(StandardCharsets.UTF_8), Metadata.of(metadata),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return acked;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
