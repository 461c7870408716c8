-- Signatures the database cannot make (see ownership/adapters/audit_signing.py).
--
-- Seals: the last row of every append carries the force key's signature of "rows
-- sealed_from..seq end in this hash", so a row appended without the key lies in no sealed
-- range. Rows written before this migration have none: the chain alone vouches for them,
-- and the node's first checkpoint signs their state as it then was.
alter table audit_log
    add column sealed_from bigint,          -- the first row of the append this row ends
    add column kid         text,            -- the key that signed it (force directory id)
    add column signature   bytea;           -- Ed25519 over the seal message

-- Checkpoints of the log's head, signed with the same key; the node writes each here and
-- on its Kafka topic <namespace>.<force>.audit, so a tail deleted here is still found.
create table audit_checkpoints (
    length     bigint not null,             -- rows 1..length: the head row's seq
    head_hash  bytea not null,
    at         timestamptz not null,
    force      text not null,
    database   text not null,               -- which log: the force's database
    kid        text not null,
    signature  bytea not null,
    primary key (at, length)
);

create trigger audit_checkpoints_append_only
    before update or delete on audit_checkpoints
    for each row execute function audit_log_is_append_only();

create trigger audit_checkpoints_no_truncate
    before truncate on audit_checkpoints
    for each statement execute function audit_log_is_append_only();
