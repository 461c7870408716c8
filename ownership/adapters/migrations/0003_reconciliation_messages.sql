-- Reconciliation messages (ownership.query / ownership.status) are about many offenders at
-- once: their outbox rows name no single offender.

alter table outbox alter column offender_reference drop not null;
