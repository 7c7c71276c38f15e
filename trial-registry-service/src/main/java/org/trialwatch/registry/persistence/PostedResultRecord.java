package org.trialwatch.registry.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.trialwatch.events.PostedResult;

/** An efficacy result posted for a trial, stored as given with its source. */
public class PostedResultRecord {

    public Long id;

    public String nctId;

    public PostedResult.Endpoint endpoint;

    public String arm;
    public BigDecimal value;
    public String unit;
    public BigDecimal ciLower;
    public BigDecimal ciUpper;
    public Integer n;

    public PostedResult.ArmRole armRole;

    public Integer responders;
    public String source;
    public String postedBy;
    public Instant postedAt;
    public UUID eventId;
}
