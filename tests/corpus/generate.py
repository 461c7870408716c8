"""Regenerate the message corpus: `python -m tests.corpus.generate`.

Every message has a fixed id and time and Ed25519 signatures are deterministic, so running this
again writes the same bytes. The corpus test checks that the files are what this script writes.
"""

from __future__ import annotations

import copy
import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.envelope import event_type, schema_id
from schemas.files import load_schema_documents
from schemas.kinds import KINDS_BY_NAME
from schemas.models import MODELS
from schemas.outgoing import Addressing, compose_envelope, encode_message
from schemas.signing import sign_envelope
from schemas.version import Version
from tests.corpus import CORPUS_DIR, MANIFEST
from tests.keys import load_test_key

TIME = "2025-06-15T10:00:00Z"
SENDER, RECIPIENT = "GMP", "WMP"
SUBJECT = "GMP-2019-004512"
_NAMESPACE = uuid.UUID("5b7f8e2a-6a43-4e55-9d1e-3c1f0b2a7d64")

Envelope = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One corpus file before it is written."""

    slug: str
    raw: bytes
    reason: str | None
    description: str
    recipient: str = RECIPIENT
    message_type: str | None = None
    version: str | None = None


def uid(label: str) -> str:
    """A stable UUID for a label."""
    return str(uuid.uuid5(_NAMESPACE, label))


def example(name: str, version: str = "") -> dict[str, Any]:
    """A deep copy of the first example in a schema file (the current version by default)."""
    chosen = Version.parse(version) if version else max(MODELS[name])
    body: dict[str, Any] = copy.deepcopy(load_schema_documents()[(name, chosen)]["examples"][0])
    return body


def unsigned(
    name: str,
    version: str = "",
    data: dict[str, Any] | None = None,
    *,
    source: str = SENDER,
    recipient: str = RECIPIENT,
    label: str = "",
) -> Envelope:
    """An unsigned envelope around an example body, with a stable id."""
    chosen = Version.parse(version) if version else max(MODELS[name])
    kind = KINDS_BY_NAME[name]
    addressing = Addressing(
        sender=source,
        recipient=recipient,
        subject=SUBJECT if kind.subject != "absent" else None,
        transferid=uid("transfer") if kind.transferid != "absent" else None,
        epoch=3 if kind.epoch != "absent" else None,
        causationid=uid("cause") if kind.causationid == "required" else None,
    )
    body = example(name, str(chosen)) if data is None else data
    envelope = compose_envelope(
        name, chosen, body, addressing, message_id=uid(label or f"{name}/{chosen}")
    )
    envelope["time"] = TIME
    return envelope


def signed(envelope: Envelope, kid: str = "gmp-2024") -> Envelope:
    """The envelope signed with a test key."""
    return sign_envelope(envelope, load_test_key(kid))


def wire(envelope: Envelope) -> bytes:
    """The bytes of an envelope as a producer writes them."""
    return encode_message(envelope)


def good_cases() -> list[Case]:
    """One accepted message for every released version of every type."""
    return [
        Case(
            f"{name}-{version}",
            wire(signed(unsigned(name, str(version)))),
            None,
            f"a valid {name} {version}",
            message_type=name,
            version=str(version),
        )
        for name, versions in MODELS.items()
        for version in versions
    ]


def _body_case(
    slug: str,
    name: str,
    mutate: Callable[[dict[str, Any]], None],
    description: str,
    sign_first: bool = False,
) -> Case:
    if sign_first:
        envelope = signed(unsigned(name, label=slug))
        mutate(envelope["data"])
    else:
        body = example(name)
        mutate(body)
        envelope = signed(unsigned(name, data=body, label=slug))
    return Case(slug, wire(envelope), "body-invalid", description)


def _envelope_case(
    slug: str,
    reason: str,
    mutate: Callable[[Envelope], None],
    description: str,
    name: str = "transfer.cancelled",
    sign_first: bool = False,
) -> Case:
    envelope = unsigned(name, label=slug)
    if sign_first:
        envelope = signed(envelope)
        mutate(envelope)
    else:
        mutate(envelope)
        envelope = signed(envelope)
    return Case(slug, wire(envelope), reason, description)


def not_json_cases() -> list[Case]:
    """Bytes that are not one acceptable JSON document."""
    good = wire(signed(unsigned("transfer.notified")))
    cancelled = wire(signed(unsigned("transfer.cancelled")))
    cases = [
        Case(
            f"truncated-at-{cut}", good[:cut], "not-json", f"a valid message cut after {cut} bytes"
        )
        for cut in (0, 1, 40, len(good) // 2, len(good) - 1)
    ]
    return [
        *cases,
        Case("latin-1", '{"reason": "caf\u00e9"}'.encode("latin-1"), "not-json", "not UTF-8"),
        Case("nan", b'{"epoch": NaN}', "not-json", "NaN is not JSON"),
        Case(
            "duplicate-member",
            good.replace(b'"source":"GMP"', b'"source":"GMP","source":"MPS"', 1),
            "not-json",
            "a duplicated member name could hide a second value from the signature",
        ),
        Case(
            "byte-order-mark",
            b"\xef\xbb\xbf" + good,
            "not-json",
            "a byte order mark before the JSON",
        ),
        Case("deep-nesting", b"[" * 40 + b"]" * 40, "not-json", "nesting deeper than any message"),
        Case(
            "lone-surrogate",
            cancelled.replace(b"Remanded", b"\\ud800"),
            "unstorable-text",
            "a string holding a lone surrogate cannot be canonicalised",
        ),
        Case("two-documents", good + b"\n" + good, "not-json", "two JSON documents in one message"),
        Case("trailing-comma", b'{"specversion": "1.0",}', "not-json", "a trailing comma"),
    ]


def envelope_cases() -> list[Case]:
    """Envelopes that break the envelope schema or their type's extension rules."""

    def drop(member: str) -> Callable[[Envelope], None]:
        return lambda envelope: envelope.pop(member)

    def put(member: str, value: Any) -> Callable[[Envelope], None]:
        return lambda envelope: envelope.__setitem__(member, value)

    return [
        Case("json-null", b"null", "envelope-invalid", "JSON, but not an object"),
        Case("json-array", b"[]", "envelope-invalid", "an array instead of an envelope"),
        Case("empty-object", b"{}", "envelope-invalid", "an object with no members"),
        _envelope_case("missing-id", "envelope-invalid", drop("id"), "no id"),
        _envelope_case("missing-data", "envelope-invalid", drop("data"), "no data"),
        _envelope_case("missing-time", "envelope-invalid", drop("time"), "no time"),
        _envelope_case(
            "specversion-0.3", "envelope-invalid", put("specversion", "0.3"), "CloudEvents 0.3"
        ),
        _envelope_case(
            "id-not-uuid", "envelope-invalid", put("id", "message-1"), "id is not a UUID"
        ),
        _envelope_case("id-number", "envelope-invalid", put("id", 12345), "id is a number"),
        _envelope_case(
            "extra-attribute",
            "envelope-invalid",
            put("priority", "high"),
            "an extension attribute the envelope does not define",
        ),
        _envelope_case(
            "time-without-zone",
            "envelope-invalid",
            put("time", "2025-06-15T10:00:00"),
            "time without a UTC offset",
        ),
        _envelope_case(
            "time-not-a-date",
            "envelope-invalid",
            put("time", "2025-02-30T10:00:00Z"),
            "time on a day that does not exist",
        ),
        _envelope_case(
            "content-type-xml",
            "envelope-invalid",
            put("datacontenttype", "application/xml"),
            "datacontenttype is not application/json",
        ),
        _envelope_case(
            "type-outside-namespace",
            "envelope-invalid",
            put("type", "com.example.transfer.cancelled"),
            "type outside uk.police.interforce",
        ),
        _envelope_case(
            "dataschema-other-type",
            "envelope-invalid",
            put("dataschema", schema_id("transfer.declined", "1.0")),
            "dataschema names another type",
        ),
        _envelope_case(
            "dataschema-elsewhere",
            "envelope-invalid",
            put("dataschema", "https://example.com/schemas/transfer.cancelled/1.0.json"),
            "dataschema outside the interforce schema base",
        ),
        _envelope_case(
            "epoch-fraction", "envelope-invalid", put("epoch", 3.5), "epoch with a fraction"
        ),
        _envelope_case(
            "epoch-beyond-2-53",
            "envelope-invalid",
            put("epoch", 2**53),
            "epoch beyond what RFC 8785 signs exactly",
            sign_first=True,
        ),
        _envelope_case("epoch-negative", "envelope-invalid", put("epoch", -1), "a negative epoch"),
        _envelope_case("epoch-string", "envelope-invalid", put("epoch", "3"), "epoch as a string"),
        _envelope_case("data-array", "envelope-invalid", put("data", []), "data is an array"),
        _envelope_case(
            "source-lowercase", "envelope-invalid", put("source", "gmp"), "source in lower case"
        ),
        _envelope_case(
            "subject-missing",
            "envelope-invalid",
            drop("subject"),
            "transfer.cancelled without the offender reference",
        ),
        _envelope_case(
            "transferid-missing",
            "envelope-invalid",
            drop("transferid"),
            "transfer.cancelled without its transfer",
        ),
        _envelope_case(
            "query-with-subject",
            "envelope-invalid",
            put("subject", SUBJECT),
            "ownership.query names one offender in subject",
            name="ownership.query",
        ),
        _envelope_case(
            "status-without-causation",
            "envelope-invalid",
            drop("causationid"),
            "ownership.status that does not say which query it answers",
            name="ownership.status",
        ),
        _envelope_case(
            "signature-wrong-shape",
            "envelope-invalid",
            put("signature", "not a signature"),
            "a signature that is not 64 bytes of base64url",
            sign_first=True,
        ),
    ]


def routing_cases() -> list[Case]:
    """Misaddressed messages, unknown senders, types and versions."""

    def unknown_type(envelope: Envelope) -> None:
        envelope["type"] = event_type("transfer.teleported")
        envelope["dataschema"] = schema_id("transfer.teleported", "1.0")

    return [
        Case(
            "addressed-to-mps",
            wire(signed(unsigned("transfer.cancelled", recipient="MPS", label="mps"))),
            "misaddressed",
            "addressed to MPS, delivered to WMP",
        ),
        Case(
            "addressed-to-nobody",
            wire(signed(unsigned("transfer.cancelled", recipient="ZZZ", label="zzz"))),
            "misaddressed",
            "addressed to a force that is not in the directory",
        ),
        Case(
            "sender-not-listed",
            wire(signed(unsigned("transfer.cancelled", source="ZZZ", label="zzz-src"))),
            "unknown-sender",
            "from a force that is not in the directory",
        ),
        _envelope_case(
            "type-teleported", "unknown-type", unknown_type, "a message type nobody defined"
        ),
        _envelope_case(
            "notified-3.0",
            "unsupported-version",
            lambda e: e.__setitem__("dataschema", schema_id("transfer.notified", "3.0")),
            "a transfer.notified version from the future",
            name="transfer.notified",
        ),
        _envelope_case(
            "cancelled-1.1",
            "unsupported-version",
            lambda e: e.__setitem__("dataschema", schema_id("transfer.cancelled", "1.1")),
            "a minor version this node does not know",
        ),
        _envelope_case(
            "cancelled-0.9",
            "unsupported-version",
            lambda e: e.__setitem__("dataschema", schema_id("transfer.cancelled", "0.9")),
            "a pre-release version",
        ),
    ]


def body_cases() -> list[Case]:
    """Bodies that break their schema, one or more per message type."""

    def extra(body: dict[str, Any]) -> None:
        body["comment"] = "extra"

    cases = [
        _body_case(
            f"extra-property-{name}",
            name,
            extra,
            f"{name} with a property its schema does not define",
        )
        for name in MODELS
    ]
    return [
        *cases,
        _body_case(
            "notified-missing-move", "transfer.notified", lambda b: b.pop("move"), "no move"
        ),
        _body_case(
            "notified-risk-level-string",
            "transfer.notified",
            lambda b: b.__setitem__("risk", "high"),
            "risk as a bare string, the 1.x shape, in 2.0",
        ),
        _body_case(
            "notified-category-unknown",
            "transfer.notified",
            lambda b: b["offender"].__setitem__("category", "burglar"),
            "an offender category not in the list",
        ),
        _body_case(
            "notified-mappa-level-4",
            "transfer.notified",
            lambda b: b.__setitem__("mappa", {"category": 1, "level": 4, "lead_agency": "police"}),
            "MAPPA level 4",
        ),
        _body_case(
            "notified-no-contacts",
            "transfer.notified",
            lambda b: b.__setitem__("contacts", []),
            "an empty contact list",
        ),
        _body_case(
            "notified-temporary-without-end",
            "transfer.notified",
            lambda b: b["move"].pop("end_date"),
            "a temporary move without an end date",
        ),
        _body_case(
            "notified-temporary-ends-before-start",
            "transfer.notified",
            lambda b: b["move"].__setitem__("end_date", "2025-06-01"),
            "a temporary move that ends before it starts",
        ),
        _body_case(
            "notified-date-of-birth-format",
            "transfer.notified",
            lambda b: b["offender"].__setitem__("date_of_birth", "14/03/1979"),
            "a date not in ISO form",
        ),
        _body_case(
            "notified-checklist-string",
            "transfer.notified",
            lambda b: b["review"]["checklist"].__setitem__("identity_confirmed", "yes"),
            "a checklist item that is not true or false",
        ),
        _body_case(
            "notified-nested-extra",
            "transfer.notified",
            lambda b: b["move"]["destination"].__setitem__("directions", "second left"),
            "an extra property inside the destination",
        ),
        _body_case(
            "notified-officer-safety-null",
            "transfer.notified",
            lambda b: b["safety"].__setitem__("officer_safety", None),
            "a safety flag that is null",
        ),
        _body_case(
            "amended-nothing",
            "transfer.amended",
            lambda b: b.pop("move"),
            "an amendment that changes nothing",
        ),
        _body_case(
            "amended-revision-zero",
            "transfer.amended",
            lambda b: b.__setitem__("revision", 0),
            "revision 0",
        ),
        _body_case(
            "amended-revision-fraction",
            "transfer.amended",
            lambda b: b.__setitem__("revision", 1.5),
            "a revision with a fraction",
        ),
        _body_case(
            "declined-reason-code-unknown",
            "transfer.declined",
            lambda b: b.__setitem__("reason_code", "busy"),
            "a decline reason code not in the list",
        ),
        _body_case(
            "cancelled-no-reason",
            "transfer.cancelled",
            lambda b: b.pop("reason"),
            "no reason in words",
        ),
        _body_case(
            "transferred-epoch-huge",
            "ownership.transferred",
            lambda b: b.__setitem__("new_epoch", 2**60),
            "an epoch beyond 2^53",
            sign_first=True,
        ),
        _body_case(
            "reminder-message-id",
            "transfer.reminder",
            lambda b: b.__setitem__("original_message_id", "yesterday's"),
            "an original message id not a UUID",
        ),
        _body_case(
            "absent-postcode",
            "offender.absent",
            lambda b: b["forwarding_address"].__setitem__("postcode", "nowhere"),
            "a forwarding postcode",
        ),
        _body_case(
            "query-empty",
            "ownership.query",
            lambda b: b.__setitem__("offenders", []),
            "a query about nobody",
        ),
        _body_case(
            "status-epoch-string",
            "ownership.status",
            lambda b: b["records"][0].__setitem__("epoch", "3"),
            "an epoch as a string",
        ),
        _body_case(
            "accepted-registered-on-time",
            "ownership.accepted",
            lambda b: b["registration"].__setitem__("registered_on", "2025-07-02T10:00:00Z"),
            "a date-time where a date belongs",
        ),
    ]


def signature_cases() -> list[Case]:
    """Unsigned, forged, tampered, and signed with the wrong, expired, future or revoked key."""

    def tamper_body(envelope: Envelope) -> None:
        envelope["data"]["reason"] = "The move is back on."

    def tamper_epoch(envelope: Envelope) -> None:
        envelope["epoch"] = 4

    def forge(envelope: Envelope) -> None:
        forged = signed(envelope, "mps-2024")
        envelope["signature"] = forged["signature"]

    def from_wmp(kid: str, label: str) -> Envelope:
        return signed(
            unsigned("transfer.acknowledged", source="WMP", recipient="GMP", label=label), kid
        )

    def swap_signature(envelope: Envelope) -> None:
        other = signed(unsigned("transfer.cancelled", label="other"))
        envelope["signature"] = other["signature"]

    return [
        _envelope_case(
            "unsigned", "signature-missing", drop_signature, "no signature", sign_first=True
        ),
        _envelope_case(
            "no-kid",
            "signature-missing",
            lambda e: e.pop("kid"),
            "a signature but no kid",
            sign_first=True,
        ),
        _envelope_case(
            "kid-unknown",
            "unknown-key",
            lambda e: e.__setitem__("kid", "gmp-1999"),
            "a key id nobody lists",
            sign_first=True,
        ),
        Case(
            "kid-of-other-force",
            wire(signed(unsigned("transfer.cancelled", label="mps-kid"), "mps-2024")),
            "key-sender-mismatch",
            "from GMP but signed with a Metropolitan Police key",
        ),
        _envelope_case(
            "tampered-body",
            "signature-invalid",
            tamper_body,
            "the reason changed after signing",
            sign_first=True,
        ),
        _envelope_case(
            "tampered-epoch",
            "signature-invalid",
            tamper_epoch,
            "the epoch changed after signing",
            sign_first=True,
        ),
        _envelope_case(
            "tampered-recipient-kept",
            "signature-invalid",
            lambda e: e.__setitem__("time", "2025-06-15T10:00:01Z"),
            "the time changed after signing",
            sign_first=True,
        ),
        _envelope_case(
            "forged-with-mps-key",
            "signature-invalid",
            forge,
            "signed with the Metropolitan Police key but claiming GMP's",
            sign_first=True,
        ),
        _envelope_case(
            "signature-of-other-message",
            "signature-invalid",
            swap_signature,
            "a signature copied from another message",
            sign_first=True,
        ),
        _envelope_case(
            "signature-zeros",
            "signature-invalid",
            lambda e: e.__setitem__("signature", "A" * 86),
            "a signature of the right shape that is all zeros",
            sign_first=True,
        ),
        Case(
            "expired-key",
            wire(from_wmp("wmp-2022", "expired")),
            "key-expired",
            "signed in 2025 with WMP's key that expired at the start of 2024",
            recipient="GMP",
        ),
        Case(
            "future-key",
            wire(signed(unsigned("transfer.cancelled", source="MPS", label="future"), "mps-2026")),
            "key-not-yet-valid",
            "signed in 2025 with MPS's key valid from 2026",
        ),
        Case(
            "revoked-key",
            wire(signed(unsigned("transfer.cancelled", label="revoked"), "gmp-2023")),
            "key-revoked",
            "signed with GMP's revoked key",
        ),
    ]


def drop_signature(envelope: Envelope) -> None:
    """Remove the signature, keeping the kid."""
    envelope.pop("signature")


def oversize_cases() -> list[Case]:
    """Messages larger than a node accepts."""
    good = wire(signed(unsigned("transfer.notified", label="oversize")))
    return [
        Case(
            "padded-to-70k",
            good + b" " * (70 * 1024),
            "oversize",
            "a valid message padded to 70 KiB",
        ),
        Case(
            "huge-reason",
            wire(
                signed(
                    unsigned(
                        "transfer.cancelled",
                        data={"reason_code": "other", "reason": "x" * (80 * 1024)},
                        label="huge",
                    )
                )
            ),
            "oversize",
            "an 80 KiB reason",
        ),
    ]


HUGE_INTEGER = b"9" * 5000
"""Longer than Python reads as an `int` by default (4,300 digits)."""
FUTURE = "2035-06-15T10:00:00Z"
"""Years ahead of any receiver's clock, yet inside the test keys' validity (to 2036)."""


def _raw_case(
    slug: str,
    reason: str,
    old: bytes,
    new: bytes,
    description: str,
    name: str = "transfer.cancelled",
    recipient: str = RECIPIENT,
) -> Case:
    """A signed message whose bytes are edited after signing: `old` (once) becomes `new`."""
    raw = wire(signed(unsigned(name, recipient=recipient, label=slug)))
    if raw.count(old) < 1:
        msg = f"{slug}: {old!r} is not in the message"
        raise ValueError(msg)
    return Case(slug, raw.replace(old, new, 1), reason, description, recipient=recipient)


def poison_cases() -> list[Case]:
    """Records that once stopped an inbox partition or reached PostgreSQL unrefused."""

    def put(member: str, value: Any) -> Callable[[Envelope], None]:
        return lambda envelope: envelope.__setitem__(member, value)

    def nul_in_reason(envelope: Envelope) -> None:
        envelope["data"]["reason"] = "Remanded\u0000 in custody."

    dataschema = schema_id("transfer.cancelled", "1.0").encode()
    return [
        _raw_case(
            "version-1.01",
            "unsupported-version",
            dataschema,
            dataschema.replace(b"/1.0.json", b"/1.01.json"),
            "a version the dataschema pattern allows, written with a leading zero in the minor",
        ),
        _raw_case(
            "version-01.0",
            "unsupported-version",
            dataschema,
            dataschema.replace(b"/1.0.json", b"/01.0.json"),
            "a version the dataschema pattern allows, written with a leading zero in the major",
        ),
        _raw_case(
            "epoch-5000-digits",
            "envelope-invalid",
            b'"epoch":3',
            b'"epoch":' + HUGE_INTEGER,
            "an epoch of 5,000 digits, longer than Python reads as an integer",
        ),
        _raw_case(
            "huge-integer-deep-in-data",
            "body-invalid",
            b'"level":"high"',
            b'"level":[[{"n":' + HUGE_INTEGER + b"}]]",
            "an integer of 5,000 digits nested deep in the body",
            name="transfer.notified",
        ),
        _raw_case(
            "negative-huge-integer",
            "envelope-invalid",
            b'"epoch":3',
            b'"epoch":-' + HUGE_INTEGER,
            "an epoch of minus a 5,000-digit number",
        ),
        _raw_case(
            "huge-integer-as-unknown-member",
            "envelope-invalid",
            b'"epoch":3,',
            b'"epoch":3,"padding":' + HUGE_INTEGER + b",",
            "a 5,000-digit integer in a member the envelope does not define",
        ),
        _raw_case(
            "epoch-huge-exponent",
            "envelope-invalid",
            b'"epoch":3',
            b'"epoch":1e999999999',
            "an epoch written with an exponent no float holds",
        ),
        _raw_case(
            "epoch-long-fraction",
            "envelope-invalid",
            b'"epoch":3',
            b'"epoch":3.' + b"0" * 5000 + b"1",
            "an epoch with a 5,000-digit fraction",
        ),
        _envelope_case(
            "nul-in-signed-reason",
            "unstorable-text",
            nul_in_reason,
            "a genuinely signed reason holding NUL, which PostgreSQL cannot store",
        ),
        _envelope_case(
            "nul-in-member-name",
            "unstorable-text",
            lambda e: e["data"].__setitem__("re\u0000ason", "x"),
            "a member name holding NUL",
        ),
        _raw_case(
            "nul-in-source",
            "unstorable-text",
            b'"source":"GMP"',
            b'"source":"GMP\\u0000"',
            "NUL after the sender's code",
        ),
        _raw_case(
            "lone-surrogate-in-member-name",
            "unstorable-text",
            b'"reason_code"',
            b'"reason_code\\udc00"',
            "a member name holding a lone low surrogate",
        ),
        _raw_case(
            "nul-deep-in-notified",
            "unstorable-text",
            b'"family_name":"',
            b'"family_name":"\\u0000',
            "NUL at the start of the offender's family name",
            name="transfer.notified",
        ),
        _envelope_case(
            "dated-2035", "time-skew", put("time", FUTURE), "genuinely signed, dated years ahead"
        ),
        _envelope_case(
            "dated-9999-behind-utc",
            "time-skew",
            put("time", "9999-12-31T23:59:59-23:59"),
            "dated at the end of the calendar, at the furthest offset behind UTC",
        ),
        _envelope_case(
            "dated-2035-unsigned",
            "time-skew",
            put("time", FUTURE),
            "dated years ahead, and unsigned: the time is refused first",
            sign_first=True,
        ),
    ]


def echo_cases() -> list[Case]:
    """Values a refusal's detail could once echo: line breaks, look-alikes, very long names."""

    def put(member: str, value: Any) -> Callable[[Envelope], None]:
        return lambda envelope: envelope.__setitem__(member, value)

    def long_member(envelope: Envelope) -> None:
        envelope["x" * (60 * 1024)] = 1

    def long_body_member(envelope: Envelope) -> None:
        envelope["data"]["y" * (60 * 1024)] = 1

    cases = [
        _envelope_case(f"{member}-newline", "envelope-invalid", put(member, value), description)
        for member, value, description in (
            ("source", "GMP\n", "the sender's code with a final newline"),
            ("recipient", "WMP\n", "the recipient's code with a final newline"),
            ("type", "uk.police.interforce.transfer.cancelled\n", "a type with a final newline"),
            ("subject", SUBJECT + "\n", "an offender reference with a final newline"),
            ("id", uid("newline-id") + "\n", "an id with a final newline"),
            ("time", TIME + "\n", "a time with a final newline"),
            (
                "dataschema",
                schema_id("transfer.cancelled", "1.0") + "\n",
                "a dataschema with a final newline",
            ),
        )
    ]
    return [
        *cases,
        _envelope_case(
            "kid-newline",
            "envelope-invalid",
            put("kid", "gmp-2024\n"),
            "a key id with a final newline",
            sign_first=True,
        ),
        _envelope_case(
            "signature-newline",
            "envelope-invalid",
            lambda e: e.__setitem__("signature", e["signature"] + "\n"),
            "a signature with a final newline",
            sign_first=True,
        ),
        _envelope_case(
            "source-crlf-injection",
            "envelope-invalid",
            put("source", "GMP\r\nlevel=ERROR forged log line"),
            "a sender's code carrying a forged log line",
        ),
        _envelope_case(
            "source-cyrillic-lookalike",
            "envelope-invalid",
            put("source", "G\u041cP"),
            "a sender's code with a Cyrillic letter that looks like M",
        ),
        _envelope_case(
            "source-fullwidth",
            "envelope-invalid",
            put("source", "\uff27\uff2d\uff30"),
            "a sender's code in full-width letters",
        ),
        _envelope_case(
            "recipient-no-break-space",
            "envelope-invalid",
            put("recipient", "WMP\u00a0"),
            "the recipient's code followed by a no-break space",
        ),
        _envelope_case(
            "source-bidi-override",
            "envelope-invalid",
            put("source", "\u202eGMP"),
            "a right-to-left override before the sender's code",
        ),
        _envelope_case(
            "member-name-60k",
            "envelope-invalid",
            long_member,
            "an envelope member whose name is 60 KiB long",
        ),
        _envelope_case(
            "body-member-name-60k",
            "body-invalid",
            long_body_member,
            "a body member whose name is 60 KiB long",
        ),
        _envelope_case(
            "subject-60k",
            "envelope-invalid",
            put("subject", "A" * (60 * 1024)),
            "an offender reference 60 KiB long",
        ),
        _envelope_case(
            "time-digits-arabic-indic",
            "envelope-invalid",
            put("time", "\u0662\u0660\u0662\u0665-06-15T10:00:00Z"),
            "a year written in Arabic-Indic digits",
        ),
    ]


def time_cases() -> list[Case]:
    """Times that are not RFC 3339 date-times, however close."""

    def put(value: str) -> Callable[[Envelope], None]:
        return lambda envelope: envelope.__setitem__("time", value)

    return [
        _envelope_case(f"time-{slug}", "envelope-invalid", put(value), description)
        for slug, value, description in (
            ("hour-24", "2025-06-15T24:00:00Z", "hour 24"),
            ("leap-second", "2025-06-15T23:59:60Z", "a leap second"),
            ("offset-24-hours", "2025-06-15T10:00:00+24:00", "an offset of 24 hours"),
            ("year-zero", "0000-06-15T10:00:00Z", "year zero"),
            ("ten-fraction-digits", "2025-06-15T10:00:00.1234567890Z", "ten fractional digits"),
            ("lower-case", "2025-06-15t10:00:00z", "lower-case t and z"),
            ("space-separator", "2025-06-15 10:00:00Z", "a space instead of T"),
            ("week-date", "2025-W24-7T10:00:00Z", "an ISO week date"),
        )
    ]


def odd_value_cases() -> list[Case]:
    """Envelope and body members given values of the wrong kind, or raw bytes JSON refuses."""

    def put(member: str, value: Any) -> Callable[[Envelope], None]:
        return lambda envelope: envelope.__setitem__(member, value)

    def put_data(member: str, value: Any) -> Callable[[dict[str, Any]], None]:
        return lambda body: body.__setitem__(member, value)

    def raw(slug: str, reason: str, text: bytes, description: str) -> Case:
        return Case(slug, text, reason, description)

    cancelled = wire(signed(unsigned("transfer.cancelled", label="odd-values")))
    return [
        raw("json-string", "envelope-invalid", b'"uk.police.interforce"', "a JSON string"),
        raw("json-number", "envelope-invalid", b"42", "a JSON number"),
        raw("json-true", "envelope-invalid", b"true", "JSON true"),
        raw("infinity", "not-json", b'{"epoch": Infinity}', "Infinity is not JSON"),
        raw(
            "utf-16",
            "not-json",
            cancelled.decode().encode("utf-16"),
            "a valid message encoded as UTF-16",
        ),
        raw(
            "overlong-utf-8",
            "not-json",
            cancelled.replace(b"/", b"\xc0\xaf", 1),
            "an overlong UTF-8 encoding of /",
        ),
        raw(
            "surrogate-as-utf-8-bytes",
            "not-json",
            cancelled.replace(b"Remanded", b"\xed\xa0\x80", 1),
            "a surrogate encoded straight into UTF-8 bytes (CESU-8)",
        ),
        raw(
            "raw-newline-in-string",
            "not-json",
            cancelled.replace(b"Remanded", b"Rem\nanded", 1),
            "an unescaped line break inside a string",
        ),
        raw(
            "raw-nul-byte",
            "not-json",
            cancelled.replace(b"Remanded", b"Rem\x00anded", 1),
            "a raw NUL byte inside a string",
        ),
        raw("trailing-nul-byte", "not-json", cancelled + b"\x00", "a NUL byte after the JSON"),
        raw("nested-10000-deep", "not-json", b"[" * 10000 + b"]" * 10000, "10,000 levels deep"),
        raw(
            "data-33-deep",
            "not-json",
            cancelled.replace(
                b'"reason_code"', b'"x":' + b"[" * 33 + b"]" * 33 + b',"reason_code"'
            ),
            "a body nested one level deeper than allowed",
        ),
        raw(
            "duplicate-member-in-data",
            "not-json",
            cancelled.replace(b'"reason_code":', b'"reason_code":"other","reason_code":', 1),
            "a duplicated member inside the body",
        ),
        _envelope_case(
            "source-other-case-duplicate",
            "envelope-invalid",
            put("Source", "MPS"),
            "a second sender under a member name in other case",
        ),
        _envelope_case("epoch-true", "envelope-invalid", put("epoch", True), "epoch as true"),
        _envelope_case("epoch-null", "envelope-invalid", put("epoch", None), "epoch as null"),
        _envelope_case("epoch-float-whole", "envelope-invalid", put("epoch", 3.0), "epoch 3.0"),
        _envelope_case("data-null", "envelope-invalid", put("data", None), "data as null"),
        _envelope_case("data-string", "envelope-invalid", put("data", "{}"), "data as a string"),
        _envelope_case(
            "specversion-number", "envelope-invalid", put("specversion", 1.0), "specversion 1.0"
        ),
        _envelope_case(
            "id-upper-case",
            "envelope-invalid",
            put("id", uid("upper").upper()),
            "an id in upper-case hexadecimal",
        ),
        _envelope_case(
            "dataschema-three-part-version",
            "envelope-invalid",
            put("dataschema", schema_id("transfer.cancelled", "1.0.0")),
            "a three-part version",
        ),
        _envelope_case(
            "dataschema-five-digit-version",
            "envelope-invalid",
            put("dataschema", schema_id("transfer.cancelled", "10000.0")),
            "a major version of five digits",
        ),
        _envelope_case(
            "dataschema-percent-encoded",
            "envelope-invalid",
            put("dataschema", schema_id("transfer.cancelled", "1%2E0")),
            "a version with a percent-encoded dot",
        ),
        _envelope_case(
            "version-1.00",
            "unsupported-version",
            put("dataschema", schema_id("transfer.cancelled", "1.00")),
            "version 1.0 written with two minor digits",
        ),
        _envelope_case(
            "version-0001.0000",
            "unsupported-version",
            put("dataschema", schema_id("transfer.cancelled", "0001.0000")),
            "version 1.0 padded to four digits each",
        ),
        _body_case(
            "reason-code-newline",
            "transfer.cancelled",
            put_data("reason_code", "other\n"),
            "a reason code with a final newline",
        ),
        _body_case(
            "reason-over-2000",
            "transfer.cancelled",
            put_data("reason", "x" * 2001),
            "a reason longer than 2,000 characters",
        ),
        _body_case(
            "reason-object",
            "transfer.cancelled",
            put_data("reason", {"text": "Remanded"}),
            "a reason that is an object",
        ),
        _body_case(
            "notified-phone-newline",
            "transfer.notified",
            lambda b: b["contacts"][0].__setitem__("phone", "0161 555 0100\n"),
            "a contact's telephone number with a final newline",
        ),
        _body_case(
            "notified-email-header-injection",
            "transfer.notified",
            lambda b: b["contacts"][0].__setitem__("email", "a@b.uk\r\nBcc: all@example.com"),
            "an e-mail address carrying a mail header",
        ),
        _body_case(
            "notified-born-29-february-1979",
            "transfer.notified",
            lambda b: b["offender"].__setitem__("date_of_birth", "1979-02-29"),
            "a date of birth on a day 1979 did not have",
        ),
        _body_case(
            "notified-born-newline",
            "transfer.notified",
            lambda b: b["offender"].__setitem__("date_of_birth", "1979-03-14\n"),
            "a date of birth with a final newline",
        ),
        _body_case(
            "notified-mappa-level-huge",
            "transfer.notified",
            lambda b: b.__setitem__(
                "mappa", {"category": 1, "level": 2**63, "lead_agency": "police"}
            ),
            "a MAPPA level of 2^63",
            sign_first=True,
        ),
        _body_case(
            "notified-contacts-object",
            "transfer.notified",
            lambda b: b.__setitem__("contacts", {"0": b["contacts"][0]}),
            "contacts as an object keyed by position",
        ),
    ]


def oversize_edge_cases() -> list[Case]:
    """The size limit, one byte either side."""
    good = wire(signed(unsigned("transfer.cancelled", label="size-edge")))
    limit = 64 * 1024
    return [
        Case(
            "one-byte-over-64k",
            good + b" " * (limit + 1 - len(good)),
            "oversize",
            "a valid message padded to one byte over 64 KiB",
        ),
    ]


def tricky_good_cases() -> list[Case]:
    """Messages that look hostile and are not: each must be accepted."""
    cancelled = wire(signed(unsigned("transfer.cancelled", label="tricky")))

    def emoji(envelope: Envelope) -> None:
        envelope["data"]["reason"] = "Remanded \U0001f512 in custody; Llan\u0175rtyd W\u00eells."

    with_emoji = unsigned("transfer.cancelled", label="tricky-emoji")
    emoji(with_emoji)
    limit = 64 * 1024
    return [
        Case(
            f"tricky-{slug}",
            raw,
            None,
            description,
            message_type="transfer.cancelled",
            version="1.0",
        )
        for slug, raw, description in (
            (
                "escaped-ascii",
                cancelled.replace(b'"source":"GMP"', b'"source":"\\u0047MP"', 1),
                "the sender's code written with a \\u escape: the same string once read",
            ),
            (
                "whitespace-around",
                b" \n\t" + cancelled + b"\r\n ",
                "JSON whitespace before and after the message",
            ),
            (
                "padded-to-exactly-64k",
                cancelled + b" " * (limit - len(cancelled)),
                "a valid message padded to exactly 64 KiB",
            ),
            (
                "emoji-and-welsh",
                wire(signed(with_emoji)),
                "a reason with an emoji and Welsh letters, signed over its canonical form",
            ),
        )
    ]


def all_cases() -> list[Case]:
    """The whole corpus: bad cases then good ones."""
    bad = [
        *not_json_cases(),
        *envelope_cases(),
        *routing_cases(),
        *body_cases(),
        *signature_cases(),
        *oversize_cases(),
        *poison_cases(),
        *echo_cases(),
        *time_cases(),
        *odd_value_cases(),
        *oversize_edge_cases(),
    ]
    return bad + good_cases() + tricky_good_cases()


def write_corpus(folder: Path) -> None:
    """Write every case and the manifest into `folder`, replacing what was there."""
    manifest = []
    for subfolder in ("bad", "good"):
        shutil.rmtree(folder / subfolder, ignore_errors=True)
        (folder / subfolder).mkdir(parents=True)
    for counter, case in enumerate(all_cases(), start=1):
        relative = f"{'good' if case.reason is None else 'bad'}/{counter:03d}-{case.slug}.json"
        (folder / relative).write_bytes(case.raw)
        entry: dict[str, Any] = {
            "file": relative,
            "recipient": case.recipient,
            "reason": case.reason,
            "description": case.description,
        }
        if case.message_type is not None:
            entry.update(type=case.message_type, version=case.version)
        manifest.append(entry)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_corpus(CORPUS_DIR)
