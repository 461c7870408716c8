"""Conflict resolution: a proposal by one party, and the other party's confirmation or rejection."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from schemas.models.common import Epoch, ForceCode, LongText, MessageId, ShortText, WireModel


class ResolutionProposed(WireModel):
    """One party to a conflict proposes who owns the record, at a new epoch, and why.

    The envelope's `epoch` is the new epoch, above every epoch either side has seen. Nothing
    changes ownership until the other party confirms.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "new_owner": "WMP",
                    "new_epoch": 5,
                    "coordinator": "DS Priya Shah",
                    "reason": "WMP holds the registration of 2 July 2025; GMP's view was stale.",
                }
            ]
        }
    )

    new_owner: ForceCode = Field(description="The force proposed to own the record: a party.")
    new_epoch: Epoch = Field(description="The new epoch; the same as the envelope's `epoch`.")
    coordinator: ShortText = Field(description="The coordinator who proposes it.")
    reason: LongText = Field(description="Why, in words, for the other party's coordinator.")


class ResolutionConfirmed(WireModel):
    """The other party confirms a proposal: both records take its owner and epoch.

    `causationid` and `proposal_id` name the `resolution.proposed` message.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "proposal_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "new_owner": "WMP",
                    "new_epoch": 5,
                    "coordinator": "DI Sam Okafor",
                    "reason": "Agreed: our registration of 2 July 2025 stands.",
                }
            ]
        }
    )

    proposal_id: MessageId = Field(description="The id of the proposal confirmed.")
    new_owner: ForceCode = Field(description="The owner the proposal named.")
    new_epoch: Epoch = Field(description="The epoch the proposal named.")
    coordinator: ShortText = Field(description="The coordinator who confirms it.")
    reason: LongText = Field(description="Why, in words.")


class ResolutionRejected(WireModel):
    """The other party rejects a proposal: the conflict stays open for another proposal."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "proposal_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "coordinator": "DI Sam Okafor",
                    "reason": "The offender has not registered with us; GMP still manages them.",
                }
            ]
        }
    )

    proposal_id: MessageId = Field(description="The id of the proposal rejected.")
    coordinator: ShortText = Field(description="The coordinator who rejects it.")
    reason: LongText = Field(description="Why, in words.")
