-- The two certainty flags made from group_trial, "terminated-early" and "results-not-yet-posted", were written twice:
-- in summary_content() (V2, members listed) and in summary_list_content() (V8, members counted). A name, detail text
-- or member condition changed in one only would make a list page and the group's own summary describe the flag
-- differently. group_trial_member_flags() now holds each of them once and both functions read it; what they give is as
-- before, key for key and in the same order.
--
-- The Java side holds the same flags and must keep agreeing with this function: SummaryCalculator (TERMINATED_EARLY,
-- RESULTS_NOT_YET_POSTED, TERMINATED_EARLY_DETAIL, and the results-not-yet-posted detail text in its flags()) computes
-- them whole, membership by TrialStatus.isStopped (trial-events: the contract's one definition of stopped, whose
-- statuses are the list below) and by a trial having no results; SummaryRecorder (STOPPED, TRIAL_FLAGS) and
-- SummaryStore (trialRefsWithStatus, membersWithoutResults) move them one trial at a time. IncrementalSummaryIT holds
-- summary_content() to SummaryCalculator, SummaryListReadsIT summary_list_content() to summary_content().

-- The member flags of a group in the order summary_content() gives them (after the rows' flags), one row per flag that
-- has members: name, detail text, members as the summary lists them (by NCT id; stopped trials with their status) and
-- their count. Members and count are two columns, not a CASE on which one the reader wants (PostgreSQL computes every
-- aggregate of a query, those in a CASE branch not taken too). A single query in LANGUAGE sql, STABLE, not STRICT:
-- the planner inlines it where it is read and computes no column that reader leaves unread, so counting builds no
-- member list, and each branch stays a scan of its partial index (group_trial_stopped_idx, V2;
-- group_trial_no_results_idx, V7), index-only when only counted. The conditions must stay literals for that.
CREATE FUNCTION group_trial_member_flags(key varchar)
    RETURNS TABLE (flag_order integer, flag text, detail text, members jsonb, member_count bigint)
    LANGUAGE sql STABLE AS $$
    SELECT 1, 'terminated-early', 'a tracked trial stopped before completion',
           jsonb_agg(nct_id || ' ' || status ORDER BY nct_id COLLATE "C"), count(*)
    FROM group_trial WHERE group_key = key AND status IN ('TERMINATED', 'WITHDRAWN', 'SUSPENDED')
    HAVING count(*) > 0
    UNION ALL
    SELECT 2, 'results-not-yet-posted', 'tracked trials with no posted results',
           jsonb_agg(nct_id ORDER BY nct_id COLLATE "C"), count(*)
    FROM group_trial WHERE group_key = key AND NOT results_posted
    HAVING count(*) > 0
$$;

-- As in V2, the member flags read from group_trial_member_flags(). One summary per call: the sort of its two member
-- flags is nothing beside the trials list it builds.
CREATE OR REPLACE FUNCTION summary_content(core jsonb, key varchar) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_set(jsonb_set(core, '{trials}', coalesce(
               (SELECT jsonb_agg(jsonb_build_object('nctId', nct_id, 'status', status, 'resultsPosted', results_posted,
                                                    'whyStopped', why_stopped, 'why', why) ORDER BY nct_id COLLATE "C")
                FROM group_trial WHERE group_key = key), '[]'::jsonb)),
           '{certaintyFlags}', coalesce(core -> 'certaintyFlags', '[]'::jsonb)
               || coalesce((SELECT jsonb_agg(jsonb_build_object('flag', flag, 'detail', detail, 'members', members)
                                             ORDER BY flag_order)
                            FROM group_trial_member_flags(key)), '[]'::jsonb))
$$;

-- As in V8, the member flags read from group_trial_member_flags() too: member_count only, so a list page still builds
-- no member list and counts through the partial indexes. They are put in order by the one sort V8 already made per
-- summary (of the rows' flags, by position), not by a sort of their own: a second sort per item of a page is
-- measurably slower, and in some backends' memory states makes every item fault in fresh pages (then ~2.5x slower).
CREATE OR REPLACE FUNCTION summary_list_content(core jsonb, key varchar) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_set(core - 'trials', '{certaintyFlags}', coalesce(
               (SELECT jsonb_agg(f ORDER BY from_trials, o)
                FROM (SELECT false, o, (f - 'members') || jsonb_build_object('memberCount',
                                           CASE WHEN jsonb_typeof(f -> 'members') = 'array'
                                                THEN jsonb_array_length(f -> 'members') ELSE 0 END)
                      FROM jsonb_array_elements(core -> 'certaintyFlags') WITH ORDINALITY AS x(f, o)
                      UNION ALL
                      SELECT true, flag_order,
                             jsonb_build_object('flag', flag, 'detail', detail, 'memberCount', member_count)
                      FROM group_trial_member_flags(key)) AS flags(from_trials, o, f)), '[]'::jsonb))
           || jsonb_build_object('trialCount', (SELECT count(*) FROM group_trial WHERE group_key = key))
$$;
