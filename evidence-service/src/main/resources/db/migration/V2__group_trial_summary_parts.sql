-- The per-trial part of each group summary, one row per (group, member trial): what the summary's "trials" list and
-- its "terminated-early" and "results-not-yet-posted" flags are made of. group_summary.content keeps the rest (counts
-- by status, evidence, medians, ORR, the rows' flags) with "trials" stored as [] and those two flags left out, so a
-- status change rewrites one group_trial row and a summary whose size does not depend on the group's size
-- (SummaryRecorder). summary_content() puts the two back together for readers; the result is the summary as it was
-- stored whole before this migration, key for key.
CREATE TABLE group_trial (
    group_key      varchar(200) NOT NULL,
    nct_id         varchar(11)  NOT NULL,
    status         varchar(32)  NOT NULL, -- as shown: NOT_VERIFIED when nobody verified it
    results_posted boolean      NOT NULL,
    why_stopped    text,
    why            text         NOT NULL,
    PRIMARY KEY (group_key, nct_id)
);
-- The terminated-early members of a group, read when a status change moves that flag.
CREATE INDEX group_trial_stopped_idx ON group_trial (group_key, nct_id)
    WHERE status IN ('TERMINATED', 'WITHDRAWN', 'SUSPENDED');

-- The summary as readers see it: the stored part with the trials list and the member flags put back, in the order
-- SummaryCalculator writes them (row flags, then terminated-early, then results-not-yet-posted; trials by NCT id).
CREATE FUNCTION summary_content(core jsonb, key varchar) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_set(jsonb_set(core, '{trials}', coalesce(
               (SELECT jsonb_agg(jsonb_build_object('nctId', nct_id, 'status', status, 'resultsPosted', results_posted,
                                                    'whyStopped', why_stopped, 'why', why) ORDER BY nct_id COLLATE "C")
                FROM group_trial WHERE group_key = key), '[]'::jsonb)),
           '{certaintyFlags}', coalesce(core -> 'certaintyFlags', '[]'::jsonb)
               || coalesce((SELECT jsonb_build_array(jsonb_build_object('flag', 'terminated-early',
                                'detail', 'a tracked trial stopped before completion',
                                'members', jsonb_agg(nct_id || ' ' || status ORDER BY nct_id COLLATE "C")))
                            FROM group_trial WHERE group_key = key AND status IN ('TERMINATED', 'WITHDRAWN', 'SUSPENDED')
                            HAVING count(*) > 0), '[]'::jsonb)
               || coalesce((SELECT jsonb_build_array(jsonb_build_object('flag', 'results-not-yet-posted',
                                'detail', 'tracked trials with no posted results',
                                'members', jsonb_agg(nct_id ORDER BY nct_id COLLATE "C")))
                            FROM group_trial WHERE group_key = key AND NOT results_posted
                            HAVING count(*) > 0), '[]'::jsonb))
$$;

-- Summaries stored whole so far: split them.
INSERT INTO group_trial (group_key, nct_id, status, results_posted, why_stopped, why)
SELECT s.group_key, t ->> 'nctId', t ->> 'status', (t ->> 'resultsPosted')::boolean, t ->> 'whyStopped', t ->> 'why'
FROM group_summary s, jsonb_array_elements(s.content -> 'trials') t;

UPDATE group_summary SET content = jsonb_set(jsonb_set(content, '{trials}', '[]'::jsonb), '{certaintyFlags}',
    (SELECT coalesce(jsonb_agg(f ORDER BY o), '[]'::jsonb)
     FROM jsonb_array_elements(content -> 'certaintyFlags') WITH ORDINALITY AS x(f, o)
     WHERE f ->> 'flag' NOT IN ('terminated-early', 'results-not-yet-posted')));

COMMENT ON COLUMN summary_history.content IS
    'the version''s summary as group_summary.content stores it; from V2 without the per-trial parts (see group_trial)';
