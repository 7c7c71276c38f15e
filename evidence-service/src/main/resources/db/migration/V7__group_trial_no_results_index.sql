-- The members of a group without posted results, read when a registration adds one to the results-not-yet-posted
-- flag (SummaryRecorder.trialJoined): at most a few ids, or their count, without reading the rest of the group.
CREATE INDEX group_trial_no_results_idx ON group_trial (group_key, nct_id) WHERE NOT results_posted;
