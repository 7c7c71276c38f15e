-- ClinicalTrials.gov sync (issue 5). ADR 0301: a date's ACTUAL/ESTIMATED type is its own column beside the
-- partial-date string, so "2025-03" stays exactly as the registry wrote it and the type can change on its own.
ALTER TABLE trial
    ADD COLUMN last_known_status            varchar(32),
    ADD COLUMN start_date_type              varchar(16) CHECK (start_date_type IN ('ACTUAL', 'ESTIMATED')),
    ADD COLUMN primary_completion_date_type varchar(16) CHECK (primary_completion_date_type IN ('ACTUAL', 'ESTIMATED')),
    ADD COLUMN completion_date_type         varchar(16) CHECK (completion_date_type IN ('ACTUAL', 'ESTIMATED'));

-- One row per sync run, scheduled or triggered by a curator.
CREATE TABLE sync_run (
    id                bigserial PRIMARY KEY,
    trigger_kind      varchar(16) NOT NULL,
    triggered_by      text        NOT NULL,
    state             varchar(16) NOT NULL CHECK (state IN ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    data_timestamp    text,
    api_version       text,
    studies_requested integer     NOT NULL DEFAULT 0,
    studies_fetched   integer     NOT NULL DEFAULT 0,
    studies_changed   integer     NOT NULL DEFAULT 0,
    changes_found     integer     NOT NULL DEFAULT 0,
    -- [{nctId, reason}]: studies skipped (malformed, missing from the answer, fetch failed)
    errors            jsonb       NOT NULL DEFAULT '[]',
    failure           text,
    CHECK ((state = 'RUNNING') = (finished_at IS NULL))
);
-- At most one run at a time across all replicas: a second insert of a RUNNING row fails.
CREATE UNIQUE INDEX sync_run_one_running_idx ON sync_run ((true)) WHERE state = 'RUNNING';

-- Every distinct version of a study record as fetched, gzip-compressed JSON.
CREATE TABLE registry_snapshot (
    id                    bigserial PRIMARY KEY,
    nct_id                varchar(11) NOT NULL REFERENCES trial (nct_id),
    version_no            integer     NOT NULL CHECK (version_no >= 1),
    last_update_post_date varchar(10),
    data_timestamp        text,
    content_sha256        char(64)    NOT NULL,
    document_gzip         bytea       NOT NULL,
    fetched_at            timestamptz NOT NULL,
    sync_run_id           bigint REFERENCES sync_run (id),
    UNIQUE (nct_id, version_no)
);

-- The sync posts a registry result once: it looks up what it already posted by trial and source.
CREATE INDEX posted_result_trial_source_idx ON posted_result (nct_id, source);
