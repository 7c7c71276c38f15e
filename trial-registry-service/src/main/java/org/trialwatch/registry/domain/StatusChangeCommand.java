package org.trialwatch.registry.domain;

import java.time.LocalDate;

import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;

/** A request to record a status change, already parsed; {@code expectedVersion} comes from If-Match. */
public record StatusChangeCommand(String nctId, long expectedVersion, TrialStatus newStatus, LocalDate effectiveDate,
                                  String reason, boolean correction, ChangeOrigin origin, String recordedBy) {
}
