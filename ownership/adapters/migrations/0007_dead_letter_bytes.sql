-- A dead letter keeps the refused record's key and bytes as they came, beside its bounded,
-- escaped detail: what the sender wrote is never lost, however long or strange. Rows written
-- before this migration have the bytes only on the dead-letter topic.

alter table dead_letters
    add column key   bytea,
    add column value bytea;
