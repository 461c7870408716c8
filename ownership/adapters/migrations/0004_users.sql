-- The people who sign in to the coordinators' dashboard, each with one role.
-- Accounts are disabled, never deleted: the audit log names them as actors.

create table users (
    username        text primary key check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name    text not null,
    role            text not null check (role in ('coordinator', 'mappa_lead', 'auditor')),
    password_hash   text not null,            -- argon2id, in its own encoded form
    created_at      timestamptz not null default now(),
    disabled_at     timestamptz,
    last_sign_in_at timestamptz
);
