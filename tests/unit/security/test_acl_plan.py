"""The ACL plan over the real force directory: exactly what each force needs, nothing else."""

from __future__ import annotations

from collections import Counter

import pytest

from interforce.security.acl import AclEntry, acl_plan, consumer_group, force_acls
from schemas.directory import load_directory
from schemas.topics import audit_topic, dead_letter_topic, inbox_topic

CODES = [force.code for force in load_directory().forces]
PLAN = acl_plan(CODES)
FORCE_ENTRIES = [e for e in PLAN if e.principal != "User:admin"]


def grants(principal: str, operation: str, resource_type: str = "TOPIC") -> set[str]:
    return {
        e.resource_name
        for e in PLAN
        if (e.principal, e.operation, e.resource_type) == (principal, operation, resource_type)
    }


def test_the_directory_has_44_forces_and_the_plan_has_48_acls_for_each_plus_two_for_admin() -> None:
    assert len(CODES) == 44
    assert len(PLAN) == 44 * 48 + 2
    assert Counter(e.principal for e in FORCE_ENTRIES) == {f"User:{c.lower()}": 48 for c in CODES}
    assert len(set(PLAN)) == len(PLAN)


@pytest.mark.parametrize("code", CODES)
def test_a_force_reads_only_its_own_inbox_in_its_own_group_and_its_audit_topic(code: str) -> None:
    who = f"User:{code.lower()}"
    assert grants(who, "READ") == {inbox_topic(code), audit_topic(code)}
    assert grants(who, "READ", "GROUP") == {consumer_group(code)}


@pytest.mark.parametrize("code", CODES)
def test_a_force_writes_every_other_inbox_its_own_dead_letters_and_audit_only(code: str) -> None:
    who = f"User:{code.lower()}"
    others = {inbox_topic(other) for other in CODES if other != code}
    assert grants(who, "WRITE") == others | {dead_letter_topic(code), audit_topic(code)}
    assert inbox_topic(code) not in grants(who, "WRITE")


def test_no_force_writes_its_own_inbox_and_every_inbox_is_written_by_every_other_force() -> None:
    for code in CODES:
        writers = {e.principal for e in PLAN if e.operation == "WRITE"
                   and e.resource_name == inbox_topic(code)}  # fmt: skip
        assert writers == {f"User:{other.lower()}" for other in CODES if other != code}


def test_dead_letters_are_written_by_their_own_force_and_read_by_nobody() -> None:
    for code in CODES:
        touching = [e for e in PLAN if e.resource_name == dead_letter_topic(code)]
        assert [(e.principal, e.operation) for e in touching] == [(f"User:{code.lower()}", "WRITE")]


def test_forces_get_only_literal_allow_acls_on_topics_and_groups_from_any_host() -> None:
    assert {e.operation for e in FORCE_ENTRIES} == {"READ", "WRITE"}
    assert {(e.pattern_type, e.permission, e.host) for e in FORCE_ENTRIES} == {
        ("LITERAL", "ALLOW", "*")
    }
    assert not any("*" in e.resource_name for e in PLAN)


def test_the_admin_may_create_and_describe_the_federations_topics_only() -> None:
    admin = [e for e in PLAN if e.principal == "User:admin"]
    assert admin == [
        AclEntry("User:admin", "TOPIC", "PREFIXED", "interforce.", "CREATE"),
        AclEntry("User:admin", "TOPIC", "PREFIXED", "interforce.", "DESCRIBE"),
    ]


def test_the_namespace_prefixes_every_topic_and_group() -> None:
    plan = acl_plan(["WMP", "GMP"], namespace="staging")
    assert all(e.resource_name.startswith("staging.") for e in plan)
    assert len(plan) == 2 + 2 * 6


def test_force_codes_are_case_insensitive_and_a_lone_force_writes_only_its_dead_letters() -> None:
    assert force_acls("wmp", ["WMP", "gmp"]) == force_acls("WMP", ["wmp", "GMP"])
    lone = force_acls("WMP", ["WMP"])
    assert {(e.operation, e.resource_name) for e in lone} == {
        ("READ", "interforce.wmp.inbox"),
        ("READ", "interforce.wmp"),
        ("WRITE", "interforce.wmp.dlq"),
        ("READ", "interforce.wmp.audit"),
        ("WRITE", "interforce.wmp.audit"),
    }
    assert acl_plan(["WMP"], admin_user=None) == lone
