-- One force's node: its offender records, outbox, inbox, consumed offsets and dead letters.

create table offender_records (
    reference  text primary key,
    owner      text not null,
    epoch      bigint not null check (epoch >= 0),
    status     text not null,
    state      jsonb not null,            -- the whole aggregate, as the repository maps it
    version    bigint not null check (version >= 0),
    updated_at timestamptz not null default now()
);
create index offender_records_owner on offender_records (owner);

-- Messages a state change causes, written in the same transaction as the change.
create table outbox (
    id                 bigserial primary key,
    message_id         uuid not null unique,
    offender_reference text not null,
    recipient          text not null,
    message_type       text not null,     -- e.g. transfer.notified
    transfer_id        text,
    epoch              bigint,
    causation_id       text,
    body               jsonb not null,    -- the wire body at the current version
    created_at         timestamptz not null default now(),
    sent_at            timestamptz,
    failure            text               -- why it can never be sent (raised to coordinators)
);
create index outbox_unsent on outbox (id) where sent_at is null and failure is null;

-- Wake the relay as soon as a transaction that wrote to the outbox commits.
create function outbox_notify() returns trigger
language plpgsql as $$
begin
    perform pg_notify('interforce_outbox', '');
    return null;
end;
$$;

create trigger outbox_inserted
    after insert on outbox
    for each statement execute function outbox_notify();
create index outbox_sent_at on outbox (sent_at) where sent_at is not null;

-- One row per message applied: a redelivery or replay finds its row and does nothing.
create table inbox (
    sender      text not null,
    message_id  text not null,
    received_at timestamptz not null default now(),
    primary key (sender, message_id)
);
create index inbox_received_at on inbox (received_at);

-- The next offset to read per partition, committed with the effects it covers.
create table consumed_offsets (
    topic       text not null,
    partition   integer not null,
    next_offset bigint not null,
    updated_at  timestamptz not null default now(),
    primary key (topic, partition)
);

-- Every message refused on the way in, with its reason; the bytes are on the DLQ topic.
create table dead_letters (
    id          bigserial primary key,
    topic       text not null,
    partition   integer not null,
    "offset"    bigint not null,
    reason      text not null,
    detail      text not null,
    sender      text,
    message_id  text,
    received_at timestamptz not null default now(),
    unique (topic, partition, "offset")
);
