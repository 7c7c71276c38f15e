package org.trialwatch.evidence.domain.summary;

import java.util.List;

import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.grouping.GroupKey;

/** Everything a group's summary is computed from: its evidence rows and its tracked trials, each with why it is there. */
public record GroupInputs(GroupKey key, List<RowMember> rows, List<TrialMember> trials) {

    public GroupInputs {
        rows = List.copyOf(rows);
        trials = List.copyOf(trials);
    }

    public record RowMember(EvidenceRow row, String why) {
    }

    /** {@code status} null: nobody has verified the trial's status. */
    public record TrialMember(String nctId, String status, String whyStopped, List<PostedReadout> results, String why) {
        public TrialMember {
            results = List.copyOf(results);
        }
    }
}
