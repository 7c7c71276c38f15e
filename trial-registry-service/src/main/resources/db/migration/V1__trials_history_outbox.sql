-- Tracked trials. Null means unknown: nothing here is ever filled by guess.
CREATE TABLE trial (
    nct_id                  varchar(11) PRIMARY KEY CHECK (nct_id ~ '^NCT[0-9]{8}$'),
    brief_title             text,
    official_title          text,
    acronym                 text,
    conditions              jsonb,
    tumour_types            jsonb       NOT NULL DEFAULT '[]',
    setting                 text,
    regimen                 text,
    interventions           jsonb,
    mechanism               text,
    therapy_class           text,
    phases                  jsonb,
    sponsor                 text,
    enrollment_count        integer CHECK (enrollment_count >= 0),
    enrollment_type         varchar(16),
    start_date              varchar(10),
    primary_completion_date varchar(10),
    completion_date         varchar(10),
    overall_status          varchar(32),
    why_stopped             text,
    has_results             boolean,
    last_update_posted      varchar(10),
    -- where the review speaks of the trial: section, reference numbers, table and row, sentences, notes
    review_provenance       jsonb,
    -- for each registry fact: its source, source kind and the date it was read
    fact_sources            jsonb       NOT NULL DEFAULT '{}',
    -- weaker readings (site pages, mirrors, news) kept for curators; never served as registry facts
    unverified_readings     jsonb,
    event_sequence          bigint      NOT NULL DEFAULT 0,
    version                 bigint      NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    search_document         tsvector GENERATED ALWAYS AS (
        to_tsvector('simple',
            nct_id || ' ' || coalesce(brief_title, '') || ' ' || coalesce(official_title, '') || ' ' ||
            coalesce(acronym, '') || ' ' || coalesce(regimen, '') || ' ' || coalesce(mechanism, '') || ' ' ||
            coalesce(setting, '') || ' ' || coalesce(sponsor, '') || ' ' || coalesce(conditions::text, '') || ' ' ||
            coalesce(interventions::text, ''))) STORED
);

CREATE INDEX trial_search_idx ON trial USING gin (search_document);
CREATE INDEX trial_mechanism_idx ON trial USING gin (to_tsvector('simple', coalesce(mechanism, '')));
CREATE INDEX trial_tumour_types_idx ON trial USING gin (tumour_types jsonb_path_ops);
CREATE INDEX trial_phases_idx ON trial USING gin (phases jsonb_path_ops);
CREATE INDEX trial_status_idx ON trial (overall_status, nct_id);
CREATE INDEX trial_therapy_class_idx ON trial (lower(therapy_class), nct_id);

-- Append-only status history.
CREATE TABLE status_change (
    id              bigserial PRIMARY KEY,
    nct_id          varchar(11) NOT NULL REFERENCES trial (nct_id),
    previous_status varchar(32),
    new_status      varchar(32) NOT NULL,
    effective_date  date,
    reason          text,
    origin          varchar(16) NOT NULL,
    correction      boolean     NOT NULL DEFAULT false,
    recorded_by     text        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    event_id        uuid
);
CREATE INDEX status_change_trial_idx ON status_change (nct_id, id);

CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'status history is append-only';
END $$;
CREATE TRIGGER status_change_append_only BEFORE UPDATE OR DELETE ON status_change
    FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();

-- Efficacy results posted by curators (or, later, the registry sync).
CREATE TABLE posted_result (
    id         bigserial PRIMARY KEY,
    nct_id     varchar(11)    NOT NULL REFERENCES trial (nct_id),
    endpoint   varchar(8)     NOT NULL,
    arm        text,
    value      numeric(14, 4) NOT NULL,
    unit       text,
    ci_lower   numeric(14, 4),
    ci_upper   numeric(14, 4),
    n          integer CHECK (n >= 0),
    source     text           NOT NULL,
    posted_by  text           NOT NULL,
    posted_at  timestamptz    NOT NULL,
    event_id   uuid           NOT NULL
);
CREATE INDEX posted_result_trial_idx ON posted_result (nct_id, id);

-- Transactional outbox: written in the same transaction as the change, published by OutboxRelay.
CREATE TABLE outbox_event (
    id           bigserial PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    aggregate_id varchar(11) NOT NULL,
    event_type   text        NOT NULL,
    sequence     bigint      NOT NULL,
    payload      text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    sent_at      timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text,
    UNIQUE (aggregate_id, sequence)
);
CREATE INDEX outbox_event_unsent_idx ON outbox_event (id) WHERE sent_at IS NULL;
