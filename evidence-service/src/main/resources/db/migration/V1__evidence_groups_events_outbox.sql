-- The review's evidence, one row per table row, running-text figure and NCT mention. source_json is the seed object
-- verbatim (raw printed values beside values as read, correction reasons, notes); the other columns index it.
CREATE TABLE evidence_row (
    id             varchar(24) PRIMARY KEY,
    kind           varchar(16) NOT NULL CHECK (kind IN ('TABLE', 'TEXT_FIGURE', 'NCT_MENTION')),
    table_no       smallint CHECK (table_no BETWEEN 1 AND 5),
    row_no         smallint,
    text_figure_id varchar(8),
    refs           integer[]   NOT NULL,
    authors        text,
    year           integer,
    tumour_types   text[]      NOT NULL DEFAULT '{}',
    category       text,
    nct_ids        text[]      NOT NULL DEFAULT '{}',
    ordinal        integer     NOT NULL UNIQUE,
    source_json    json        NOT NULL, -- json, not jsonb: keeps the seed's key (column) order
    source_hash    varchar(64) NOT NULL,
    seeded_at      timestamptz NOT NULL,
    UNIQUE (table_no, row_no)
);
CREATE INDEX evidence_row_kind_idx ON evidence_row (kind, ordinal);
CREATE INDEX evidence_row_table_idx ON evidence_row (table_no, row_no);
CREATE INDEX evidence_row_refs_idx ON evidence_row USING gin (refs);
CREATE INDEX evidence_row_tumour_idx ON evidence_row USING gin (tumour_types);
CREATE INDEX evidence_row_nct_idx ON evidence_row USING gin (nct_ids);

-- Tracked trials as the registry's events describe them; last_sequence guards against stale and duplicate events.
CREATE TABLE tracked_trial (
    nct_id         varchar(11) PRIMARY KEY CHECK (nct_id ~ '^NCT[0-9]{8}$'),
    tumour_types   text[],
    setting        text,
    regimen        text,
    mechanism      text,
    therapy_class  text,
    overall_status varchar(32),
    why_stopped    text,
    snapshot       jsonb,
    last_sequence  bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE posted_result (
    id         bigserial PRIMARY KEY,
    nct_id     varchar(11)    NOT NULL REFERENCES tracked_trial (nct_id),
    event_id   varchar(64)    NOT NULL,
    endpoint   varchar(8)     NOT NULL,
    arm        text,
    value      numeric(14, 4) NOT NULL,
    unit       text,
    ci_lower   numeric(14, 4),
    ci_upper   numeric(14, 4),
    n          integer,
    source     text           NOT NULL,
    posted_at  timestamptz    NOT NULL
);
CREATE INDEX posted_result_trial_idx ON posted_result (nct_id, posted_at, id);

-- Who is in which group, and why (one reason per dimension). member_kind ROW: evidence_row.id; TRIAL: an NCT id.
CREATE TABLE group_member (
    group_key   varchar(200) NOT NULL,
    member_kind varchar(8)   NOT NULL CHECK (member_kind IN ('ROW', 'TRIAL')),
    member_id   varchar(24)  NOT NULL,
    why         text         NOT NULL,
    PRIMARY KEY (group_key, member_kind, member_id)
);
CREATE INDEX group_member_member_idx ON group_member (member_kind, member_id);

CREATE TABLE group_summary (
    group_key     varchar(200) PRIMARY KEY,
    tumour_type   varchar(8)   NOT NULL,
    line          varchar(32)  NOT NULL,
    therapy_class varchar(64)  NOT NULL,
    target        varchar(100) NOT NULL,
    version       bigint       NOT NULL CHECK (version >= 1),
    content       jsonb        NOT NULL,
    latest_change jsonb        NOT NULL,
    updated_at    timestamptz  NOT NULL
);
CREATE INDEX group_summary_tumour_idx ON group_summary (tumour_type, group_key);
CREATE INDEX group_summary_line_idx ON group_summary (line, group_key);
CREATE INDEX group_summary_class_idx ON group_summary (therapy_class, group_key);
CREATE INDEX group_summary_target_idx ON group_summary (lower(target), group_key);

-- Every version of every summary: what changed and which event caused it.
CREATE TABLE summary_history (
    group_key      varchar(200) NOT NULL REFERENCES group_summary (group_key),
    version        bigint       NOT NULL,
    changes        jsonb        NOT NULL,
    cause_type     text         NOT NULL,
    cause_event_id varchar(64),
    cause_nct_id   varchar(11),
    occurred_at    timestamptz  NOT NULL,
    content        jsonb        NOT NULL,
    PRIMARY KEY (group_key, version)
);

-- Idempotent consumer: one row per consumed CloudEvent id, written in the transaction that applies it.
CREATE TABLE processed_event (
    event_id     varchar(64) PRIMARY KEY,
    event_type   text        NOT NULL,
    nct_id       varchar(11),
    sequence     bigint,
    outcome      varchar(24) NOT NULL,
    processed_at timestamptz NOT NULL
);

-- Transactional outbox for evidence-events; the relay publishes unsent rows in seq order.
CREATE TABLE outbox (
    id          uuid PRIMARY KEY,
    seq         bigserial   NOT NULL UNIQUE,
    group_key   varchar(200) NOT NULL,
    event_type  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     json        NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL;
