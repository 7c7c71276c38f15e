package org.trialwatch.registry.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.trialwatch.events.PostedResult;

/** An efficacy result posted for a trial, stored as given with its source. */
@Entity
@Table(name = "posted_result")
public class PostedResultRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String nctId;

    @Enumerated(EnumType.STRING)
    public PostedResult.Endpoint endpoint;

    public String arm;
    public BigDecimal value;
    public String unit;
    public BigDecimal ciLower;
    public BigDecimal ciUpper;
    public Integer n;

    @Enumerated(EnumType.STRING)
    public PostedResult.ArmRole armRole;

    public Integer responders;
    public String source;
    public String postedBy;
    public Instant postedAt;
    public UUID eventId;
}
