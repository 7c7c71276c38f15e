-- A summary as a list page shows it (ADR 0009, amended in session 14): the stored part with counts where
-- summary_content() puts back member lists. No "trials", but "trialCount"; each certainty flag with "memberCount" in
-- place of "members", the two member flags counted through group_trial's partial indexes. Flags in the order
-- summary_content() gives them. A page of 50 summaries no longer builds, and sends, every member of its groups.
CREATE FUNCTION summary_list_content(core jsonb, key varchar) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_set(core - 'trials', '{certaintyFlags}',
               coalesce((SELECT jsonb_agg((f - 'members') || jsonb_build_object('memberCount',
                                    CASE WHEN jsonb_typeof(f -> 'members') = 'array'
                                         THEN jsonb_array_length(f -> 'members') ELSE 0 END) ORDER BY o)
                         FROM jsonb_array_elements(core -> 'certaintyFlags') WITH ORDINALITY AS x(f, o)), '[]'::jsonb)
               || coalesce((SELECT jsonb_build_array(jsonb_build_object('flag', 'terminated-early',
                                'detail', 'a tracked trial stopped before completion', 'memberCount', count(*)))
                            FROM group_trial WHERE group_key = key AND status IN ('TERMINATED', 'WITHDRAWN', 'SUSPENDED')
                            HAVING count(*) > 0), '[]'::jsonb)
               || coalesce((SELECT jsonb_build_array(jsonb_build_object('flag', 'results-not-yet-posted',
                                'detail', 'tracked trials with no posted results', 'memberCount', count(*)))
                            FROM group_trial WHERE group_key = key AND NOT results_posted
                            HAVING count(*) > 0), '[]'::jsonb))
           || jsonb_build_object('trialCount', (SELECT count(*) FROM group_trial WHERE group_key = key))
$$;
