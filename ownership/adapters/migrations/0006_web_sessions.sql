-- Dashboard sessions and failed sign-ins, kept here so that every instance of a force's
-- node sees the same ones: ending a session ends it everywhere, and the sign-in throttle
-- counts every instance's failures together.

create table web_sessions (
    id_digest    bytea primary key,        -- SHA-256 of the cookie's random id, never the id
    username     text not null references users (username),
    signed_in_at timestamptz not null,
    expires_at   timestamptz not null
);

create index web_sessions_by_user on web_sessions (username);
create index web_sessions_by_expiry on web_sessions (expires_at);

-- One row per sign-in that has not succeeded: written before the password is checked, so
-- attempts in flight count too, and removed if the password was right.
create table sign_in_failures (
    id      bigint generated always as identity primary key,
    account text not null,                 -- the username tried ('?' if it cannot be one)
    address text not null,                 -- the client's address (an IPv6 one by its /64)
    at      timestamptz not null
);

create index sign_in_failures_by_account on sign_in_failures (account, at);
create index sign_in_failures_by_address on sign_in_failures (address, at);
create index sign_in_failures_by_time on sign_in_failures (at);
