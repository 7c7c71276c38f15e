package org.trialwatch.evidence.domain.summary;

/**
 * One thing that moved in a group summary, as {@code summary-updated} announces it: the field, its value before and
 * after as plain JSON values (null, String, Integer, Double, or a list of strings) and the change in words. The
 * application turns it into the contract's {@code EvidenceSummaryUpdated.Change}.
 */
public record SummaryChange(String field, Object from, Object to, String description) {
}
