-- Append-only, hash-chained audit log (Data Protection Act 2018, Part 3, logging duty).
-- Each row's hash covers its content and the previous row's hash, so a changed or
-- removed row breaks the chain at that row.

create table audit_log (
    seq          bigint primary key,
    at           timestamptz not null,
    actor        text not null,            -- who: a user, or this force's node
    action       text not null,            -- what: message.received, record.viewed, ...
    subject      text,                     -- the offender reference, where there is one
    reason       text,                     -- why, as given by the person or the protocol
    disclosed_to text,                     -- to whom, for anything sent or shown
    detail       jsonb not null,
    prev_hash    bytea not null,
    hash         bytea not null
);

create function audit_log_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function audit_log_is_append_only();

create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
