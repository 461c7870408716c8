"""The node's own PostgreSQL role: it owns its force's tables, but may only append to the audit log.

`grant_node_role` runs as an administrator in the force's database once its migrations are
applied (and again after each upgrade). The role owns every table, sequence and function of
the force's schema except the audit log and its checkpoints, on which it has SELECT and
INSERT only: not being their owner, it can neither update, delete or truncate them (no
privilege, and the trigger refuses anyway) nor disable the triggers, alter or drop the tables.
CONNECT on the force's database is taken from PUBLIC and given to the role, so no other
force's role can connect.
"""

from __future__ import annotations

import re

from ownership.adapters.db import Connection

_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY_TABLES = ("audit_log", "audit_checkpoints")
"""Tables the node may read and append to, never change: the administrator keeps them."""
KEPT_FUNCTIONS = ("audit_log_is_append_only",)


def node_role_name(database: str) -> str:
    """The role of the node whose database is `database`, e.g. `interforce_wmp_node`."""
    return f"{database}_node"


async def grant_node_role(
    connection: Connection, database: str, role: str, password: str | None = None
) -> None:
    """Create (or update) `role` and give it the force's schema, the audit log insert-only."""
    for name in (database, role):
        if not _SAFE_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a plain lower-case name")
    if await connection.fetchval("select current_database()") != database:
        raise ValueError(f"connect to {database} to grant its node role")
    async with connection.transaction():
        exists = await connection.fetchval("select 1 from pg_roles where rolname = $1", role)
        if not exists:
            await connection.execute(f'create role "{role}" login nosuperuser nocreatedb')
        if password is not None:
            statement = await connection.fetchval(
                "select format('alter role %I password %L', $1::text, $2::text)", role, password
            )
            await connection.execute(statement)
        await connection.execute(f'revoke all on database "{database}" from public')
        await connection.execute(f'grant connect, temporary on database "{database}" to "{role}"')
        await connection.execute(f'grant usage, create on schema public to "{role}"')
        await _hand_over(connection, role)
        for table in APPEND_ONLY_TABLES:
            await connection.execute(f'revoke all on "{table}" from "{role}"')
            await connection.execute(f'grant select, insert on "{table}" to "{role}"')


async def _hand_over(connection: Connection, role: str) -> None:
    """Make `role` the owner of every relation and function in `public` but the kept ones."""
    relations = await connection.fetch(
        "select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')"
        " and c.relname <> all($1::text[])"
        # a sequence owned by a column moves with its table
        " and not exists (select 1 from pg_depend d where d.objid = c.oid"
        "   and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass"
        "   and d.deptype in ('a', 'i'))"
        " and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')",
        list(APPEND_ONLY_TABLES),
    )
    for relation in relations:
        kind = {"S": "sequence", "v": "view", "m": "materialized view"}.get(
            relation["relkind"], "table"
        )
        await connection.execute(f'alter {kind} "{relation["relname"]}" owner to "{role}"')
    functions = await connection.fetch(
        "select p.oid::regprocedure::text as signature from pg_proc p"
        " join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname = 'public' and p.proname <> all($1::text[])"
        " and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')",
        list(KEPT_FUNCTIONS),
    )
    for function in functions:
        await connection.execute(f'alter function {function["signature"]} owner to "{role}"')
