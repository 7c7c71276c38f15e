package org.trialwatch.registry.outbox;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event waiting to be published (or published, once {@link #sentAt} is set). {@link #eventId} becomes ce_id. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public UUID eventId;
    public String aggregateId;
    public String eventType;
    public long sequence;
    public String payload;
    public Instant occurredAt;
    public Instant sentAt;
    public int attempts;
    public String lastError;
}
