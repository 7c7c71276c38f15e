-- Subscriptions of research teams. The filter is kept whole (jsonb) for display and in exploded form
-- (subscription_filter_value) for matching through an index.
create table subscription (
    id                  uuid primary key,
    team                text        not null,
    name                text        not null,
    channel             text        not null check (channel in ('WEBHOOK', 'EMAIL')),
    url                 text,
    email               text,
    contact_email       text,
    filter              jsonb       not null,
    -- how many filter fields are non-empty: a subscription matches when its values hit exactly that many dimensions
    specific_dimensions int         not null,
    enabled             boolean     not null default true,
    disabled_reason     text,
    failing_since       timestamptz,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create index subscription_team_idx on subscription (team, created_at);
-- subscriptions without any filter match every event; kept apart so matching never scans the others
create index subscription_match_all_idx on subscription (id) where specific_dimensions = 0 and enabled;

create table subscription_filter_value (
    subscription_id uuid not null references subscription (id) on delete cascade,
    dimension       text not null,
    value           text not null,
    primary key (dimension, value, subscription_id)
);
create index subscription_filter_value_subscription_idx on subscription_filter_value (subscription_id);

-- Signing secrets of webhook subscriptions; a rotated-out secret keeps signing until expires_at.
create table webhook_secret (
    id              bigserial primary key,
    subscription_id uuid        not null references subscription (id) on delete cascade,
    secret          text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz
);
create index webhook_secret_subscription_idx on webhook_secret (subscription_id);

-- What this service knows of each trial (from trial.registered / trial.updated), so that a later status change can be
-- matched by tumour type, mechanism or therapy class.
create table trial_fact (
    nct_id        text primary key,
    tumour_types  text[]      not null default '{}',
    mechanism     text,
    therapy_class text,
    sequence      bigint      not null,
    updated_at    timestamptz not null
);

-- Idempotent consumption: a ce_id is processed once, in the same transaction as its effects.
create table processed_event (
    event_id     text primary key,
    topic        text        not null,
    processed_at timestamptz not null
);

create table notification (
    id              uuid primary key,
    subscription_id uuid        not null references subscription (id) on delete cascade,
    event_id        text        not null,
    event_type      text        not null,
    nct_id          text,
    body            text        not null,
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    dead_at         timestamptz,
    constraint notification_once_per_subscription_and_event unique (subscription_id, event_id)
);
create index notification_due_idx on notification (next_attempt_at) where status = 'PENDING';
create index notification_dead_idx on notification (dead_at) where status = 'DEAD';
create index notification_subscription_idx on notification (subscription_id, created_at desc);

create table delivery_attempt (
    id              bigserial primary key,
    notification_id uuid        not null references notification (id) on delete cascade,
    attempt_no      int         not null,
    attempted_at    timestamptz not null,
    status_code     int,
    latency_ms      bigint      not null,
    outcome         text        not null,
    error           text
);
create index delivery_attempt_notification_idx on delivery_attempt (notification_id, attempt_no);

-- Recent events for the live stream; ids are handed out under a transaction-scoped advisory lock, so they become
-- visible in id order and a reader resuming after Last-Event-ID never skips one.
create sequence stream_event_seq;
create table stream_event (
    id         bigint primary key,
    event_id   text        not null unique,
    facts      jsonb       not null,
    body       text        not null,
    created_at timestamptz not null
);
create index stream_event_created_idx on stream_event (created_at);
