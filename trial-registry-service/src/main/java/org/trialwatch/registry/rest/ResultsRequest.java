package org.trialwatch.registry.rest;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.trialwatch.events.PostedResult;

/**
 * Body of {@code POST /api/trials/{nctId}/results}: efficacy endpoints as posted, each with its source and, except for a
 * hazard ratio, its arm role. Shape errors answer 400; results that break {@code PostedResultRules} answer 422.
 */
public record ResultsRequest(
        @NotEmpty @Size(max = ResultsRequest.MAX_RESULTS, message = "at most " + ResultsRequest.MAX_RESULTS
                + " results per request") List<@Valid @NotNull Result> results) {

    /** Results in one request; a trial's posted efficacy endpoints are a handful. */
    public static final int MAX_RESULTS = 100;


    public record Result(
            @NotNull PostedResult.Endpoint endpoint,
            @Size(max = 500) String arm,
            @NotNull BigDecimal value,
            @Size(max = 50) String unit,
            @Valid Interval ci95,
            Integer n,
            @NotBlank @Size(max = 1000) String source,
            PostedResult.ArmRole armRole,
            Integer responders) {
    }

    public record Interval(@NotNull BigDecimal lower, @NotNull BigDecimal upper) {
    }
}
