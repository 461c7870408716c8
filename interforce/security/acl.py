"""The ACL plan: what each force's principal may do on a federation's cluster, and nothing else.

One pure function over the force directory. `interforce acl plan` prints it for a force's IT
team; `interforce services up --secure` applies the same list to the local secure broker.

A force (principal `User:<force lower>`) may:

- READ its own inbox topic and its own consumer group `<ns>.<force lower>`;
- WRITE every other force's inbox topic and its own dead-letter topic;
- READ and WRITE its own audit checkpoint topic `<ns>.<force lower>.audit` (the node writes
  checkpoints, `audit verify` reads them back without a group). Nobody is granted DELETE,
  so no force can delete records from it, its own checkpoints included.

READ and WRITE imply DESCRIBE in Kafka, so metadata, coordinator look-ups and offset fetches
need no ACL of their own, and the idempotent producer needs no IDEMPOTENT_WRITE on the cluster
(KIP-679: WRITE on any topic suffices). The admin principal may CREATE and DESCRIBE the
federation's topics (a prefixed pattern on `<ns>.`), so it can create every inbox and DLQ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from schemas.topics import audit_topic, dead_letter_topic, inbox_topic

ResourceType = Literal["TOPIC", "GROUP"]
PatternType = Literal["LITERAL", "PREFIXED"]
Operation = Literal["READ", "WRITE", "CREATE", "DESCRIBE"]

ADMIN_USER = "admin"


@dataclass(frozen=True, order=True)
class AclEntry:
    """One ALLOW binding: `principal` may do `operation` on a resource, from any host."""

    principal: str
    resource_type: ResourceType
    pattern_type: PatternType
    resource_name: str
    operation: Operation
    permission: Literal["ALLOW"] = "ALLOW"
    host: str = "*"


def force_user(force: str) -> str:
    """A force's SASL user name, e.g. `wmp`."""
    return force.lower()


def principal(user: str) -> str:
    """The Kafka principal of a SASL user, e.g. `User:wmp`."""
    return f"User:{user}"


def consumer_group(force: str, namespace: str = "interforce") -> str:
    """The consumer group a force's node consumes its inbox in, e.g. `interforce.wmp`."""
    return f"{namespace}.{force.lower()}"


def force_acls(force: str, forces: Iterable[str], namespace: str = "interforce") -> list[AclEntry]:
    """What one force may do: read its inbox in its group, write others' inboxes and its DLQ,
    read and write its audit checkpoints."""
    who = principal(force_user(force))
    others = sorted({code.upper() for code in forces} - {force.upper()})
    return [
        AclEntry(who, "TOPIC", "LITERAL", audit_topic(force, namespace), "READ"),
        AclEntry(who, "TOPIC", "LITERAL", inbox_topic(force, namespace), "READ"),
        AclEntry(who, "GROUP", "LITERAL", consumer_group(force, namespace), "READ"),
        *(AclEntry(who, "TOPIC", "LITERAL", inbox_topic(o, namespace), "WRITE") for o in others),
        AclEntry(who, "TOPIC", "LITERAL", dead_letter_topic(force, namespace), "WRITE"),
        AclEntry(who, "TOPIC", "LITERAL", audit_topic(force, namespace), "WRITE"),
    ]


def admin_acls(namespace: str = "interforce", admin_user: str = ADMIN_USER) -> list[AclEntry]:
    """What the admin principal needs to create the federation's topics."""
    who = principal(admin_user)
    return [
        AclEntry(who, "TOPIC", "PREFIXED", f"{namespace}.", "CREATE"),
        AclEntry(who, "TOPIC", "PREFIXED", f"{namespace}.", "DESCRIBE"),
    ]


def acl_plan(
    forces: Iterable[str], namespace: str = "interforce", admin_user: str | None = ADMIN_USER
) -> list[AclEntry]:
    """Every ACL of a federation of `forces` (force codes), sorted; admin's first if named."""
    codes = sorted({code.upper() for code in forces})
    entries = admin_acls(namespace, admin_user) if admin_user else []
    for code in codes:
        entries.extend(force_acls(code, codes, namespace))
    return entries
