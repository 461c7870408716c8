"""Disclosure profiles: optional fields outside a profile stay home, required ones never do."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from producers.disclosure import DisclosurePolicy
from producers.disclosure_profiles import PROFILES
from schemas.files import load_schema_documents
from schemas.schema_set import SchemaSet
from schemas.validation import first_fault

DOCUMENTS = load_schema_documents()
EXAMPLES = [
    pytest.param(name, version, example, id=f"{name}-{version}-{n}")
    for (name, version), document in sorted(DOCUMENTS.items())
    if name != "envelope"
    for n, example in enumerate(document.get("examples", ()))
]


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize(("name", "version", "example"), EXAMPLES)
def test_every_profile_keeps_what_each_version_requires(
    profile: str, name: str, version: Any, example: dict[str, Any]
) -> None:
    policy = DisclosurePolicy({"WMP": profile})
    kept, disclosure = policy.disclose("WMP", name, example, DOCUMENTS[(name, version)])
    assert first_fault(SchemaSet.load().validator(name, version), kept) is None
    assert disclosure.profile == profile
    assert disclosure.lawful_basis.startswith("DPA 2018 Part 3")
    assert not set(disclosure.fields) & set(disclosure.withheld)


def notified_example() -> tuple[dict[str, Any], Any]:
    key = max(key for key in DOCUMENTS if key[0] == "transfer.notified")
    example = copy.deepcopy(DOCUMENTS[key]["examples"][0])
    example["review"]["notes"] = "owner-only: informant says he drinks at the Crown"
    for contact in example["contacts"]:
        contact["email"] = "ppu@gmp.example"
    return example, DOCUMENTS[key]


def test_the_receiving_force_gets_everything_but_the_owners_review_notes() -> None:
    example, schema = notified_example()
    kept, disclosure = DisclosurePolicy().disclose("WMP", "transfer.notified", example, schema)
    assert "notes" not in kept["review"]
    assert disclosure.withheld == ("review.notes",)
    without_notes = copy.deepcopy(example)
    del without_notes["review"]["notes"]
    assert kept == without_notes
    assert disclosure.profile == "receiving_force"


def test_a_specialist_unit_gets_what_consultation_needs_and_what_the_schema_requires() -> None:
    example, schema = notified_example()
    policy = DisclosurePolicy({"btp": "specialist_unit"})
    kept, disclosure = policy.disclose("BTP", "transfer.notified", example, schema)
    assert all("email" not in contact for contact in kept["contacts"])
    assert set(kept["review"]) == set(schema["$defs"]["Review"]["required"])
    assert "pnc_id" not in kept["offender"]
    assert {"contacts[].email", "review.notes"} <= set(disclosure.withheld)
    assert policy.profile_for("WMP").name == "receiving_force"


def test_a_type_the_profile_does_not_list_is_sent_whole() -> None:
    body = {"revision": 2, "reason": "typo"}
    kept, disclosure = DisclosurePolicy().disclose("WMP", "transfer.amended", body, {})
    assert kept == body
    assert disclosure.fields == ("reason", "revision")


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown disclosure profile"):
        DisclosurePolicy({"WMP": "everything"})
