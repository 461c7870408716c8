"""Looking for the owner of an offender who registered unannounced, by identity.

A force that does not know which force owns the record asks every federated force (never
an authority that runs no node) by PNC ID and ViSOR reference, and reads the answers: the
owner they name is the one to ask for a transfer; two owners named is a conflict for a
person, never a silent pick; nobody naming one by the deadline is an owner not found.

This module is the rule alone: the requesting force does not yet keep a search on its
records, nor send the queries from ``transfer request`` (see the README).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from ownership.domain.errors import InvalidDetailsError, UnaskedAnswerError
from ownership.domain.events import OwnershipQueried
from ownership.domain.identity_lookup import IdentityKey, IdentityView
from ownership.domain.message_ids import SENT_MESSAGE_NAMESPACE


class SearchOutcome(StrEnum):
    """Where a search for the owner stands."""

    WAITING = "waiting"
    FOUND = "found"
    CONFLICTING = "conflicting"
    NOT_FOUND = "not_found"


def forces_to_ask(federation: Iterable[str], by: str, no_node: frozenset[str]) -> frozenset[str]:
    """Every federated force but ``by`` and the authorities that run no node."""
    return frozenset(federation) - {by} - no_node


@dataclass
class OwnerSearch:
    """One search: who was asked about ``identity`` and what each answered."""

    request_id: str
    identity: IdentityKey
    asked: frozenset[str]
    started_at: datetime
    answers: dict[str, IdentityView] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.asked:
            raise InvalidDetailsError("a search for the owner asks at least one force")

    def answer(self, force: str, view: IdentityView) -> None:
        """Keep ``force``'s answer; refused from a force never asked or about another
        identity. A repeated answer replaces the earlier one."""
        if force not in self.asked:
            raise UnaskedAnswerError(f"{force} was not asked for the owner of {self.request_id}")
        if view.asked != self.identity:
            raise UnaskedAnswerError(f"{force}'s answer is about another identity")
        self.answers[force] = view

    @property
    def owners_named(self) -> dict[str, str]:
        """Each owner the answers name, with the offender reference it holds the record by."""
        return {
            v.owner: v.reference
            for v in self.answers.values()
            if v.held and v.owner and v.reference
        }

    def outcome(self, now: datetime, deadline: timedelta) -> SearchOutcome:
        """Found when the answers name one owner; conflicting when they name two or more;
        not found when the deadline passed, or every force asked answered, naming none."""
        named = self.owners_named
        if len(named) == 1:
            return SearchOutcome.FOUND
        if len(named) > 1:
            return SearchOutcome.CONFLICTING
        if now >= self.started_at + deadline or set(self.answers) == set(self.asked):
            return SearchOutcome.NOT_FOUND
        return SearchOutcome.WAITING


def identity_queries(
    search: OwnerSearch, by: str, local_reference: str, at: datetime
) -> tuple[OwnershipQueried, ...]:
    """The query to each force asked: the requester's own reference, and the identity."""
    return tuple(
        OwnershipQueried(
            force=by,
            at=at,
            recipient=force,
            message_id=_query_id(by, search.request_id, force),
            offenders=(local_reference,),
            identities=(search.identity,),
        )
        for force in sorted(search.asked)
    )


def _query_id(by: str, request_id: str, recipient: str) -> str:
    name = f"{by}/ownership.query/identity/{request_id}/{recipient}"
    return str(uuid.uuid5(SENT_MESSAGE_NAMESPACE, name))
