"""The directory's authorities outside the federation: they run no node, and their codes
share one namespace with the forces'."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.directory import ExternalAuthority, ForceDirectory, load_directory


def test_the_packaged_directory_lists_the_authorities_that_run_no_node() -> None:
    directory = load_directory()
    codes = {authority.code for authority in directory.authorities}
    assert codes == {"PSOS", "PSNI", "IOM", "JSY", "GSY", "NCA"}
    assert all(authority.runs_node is False for authority in directory.authorities)
    assert not codes & {force.code for force in directory.forces}


def test_an_authority_is_found_by_its_code_and_is_no_force() -> None:
    directory = load_directory()
    authority = directory.authority("PSOS")
    assert authority is not None
    assert authority.name == "Police Scotland"
    assert directory.force("PSOS") is None
    assert directory.authority("WMP") is None


def test_an_authority_cannot_claim_to_run_a_node() -> None:
    with pytest.raises(ValidationError):
        ExternalAuthority.model_validate(
            {"code": "PSOS", "name": "Police Scotland", "covers": "Scotland", "runs_node": True}
        )


def test_an_authority_may_not_share_a_forces_code() -> None:
    directory = load_directory()
    document = directory.model_dump(mode="json")
    document["authorities"].append({"code": "WMP", "name": "Twin", "covers": "nowhere"})
    with pytest.raises(ValidationError, match="unique"):
        ForceDirectory.model_validate(document)


@pytest.mark.parametrize(
    ("typed", "first"),
    [("WMPP", "WMP"), ("GMPX", "GMP"), ("PSO", "PSOS"), ("NCAA", "NCA"), ("scotland", "PSOS")],
)
def test_the_nearest_code_comes_first(typed: str, first: str) -> None:
    assert load_directory().nearest_codes(typed)[0] == first


def test_nothing_is_near_a_code_like_no_other() -> None:
    assert load_directory().nearest_codes("QQQQQ") == ()


def test_at_most_the_limit_is_suggested() -> None:
    assert len(load_directory().nearest_codes("WM", limit=2)) == 2
