"""Applying a disclosure profile to a wire body before it is signed, and saying what went.

`DisclosurePolicy.disclose` takes a body already written in the recipient's version and its
JSON Schema, keeps the fields the recipient's profile sends and every field the schema
requires, and returns the body with the record of the disclosure for the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from producers.disclosure_profiles import DEFAULT_PROFILE, PROFILES, DisclosureProfile

Schema = Mapping[str, Any]


@dataclass(frozen=True)
class Disclosure:
    """What one message disclosed to its recipient, under which profile and lawful basis."""

    recipient: str
    profile: str
    lawful_basis: str
    fields: tuple[str, ...]
    withheld: tuple[str, ...]

    def audit_detail(self) -> dict[str, Any]:
        """The members of the `message.sent` audit entry's detail that record it."""
        return {
            "disclosure_profile": self.profile,
            "lawful_basis": self.lawful_basis,
            "fields_disclosed": list(self.fields),
            "fields_withheld": list(self.withheld),
        }


class DisclosurePolicy:
    """Each recipient's profile: named in `overrides` (force code → profile), else the default."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        unknown = sorted(set((overrides or {}).values()) - set(PROFILES))
        if unknown:
            known = ", ".join(sorted(PROFILES))
            raise ValueError(f"unknown disclosure profile {', '.join(unknown)} (known: {known})")
        self._overrides = {code.upper(): name for code, name in (overrides or {}).items()}

    def profile_for(self, recipient: str) -> DisclosureProfile:
        """The profile that decides what `recipient` is sent."""
        return PROFILES[self._overrides.get(recipient, DEFAULT_PROFILE)]

    def disclose(
        self, recipient: str, message_type: str, body: Mapping[str, Any], schema: Schema
    ) -> tuple[dict[str, Any], Disclosure]:
        """The body as `recipient` may see it, and the record of what it discloses."""
        profile = self.profile_for(recipient)
        allowed = profile.sends.get(message_type)
        if allowed is None:
            kept, sent, withheld = dict(body), sorted(body), []
        else:
            walk = _Walk(schema, allowed)
            kept = walk.object(body, "", [schema])
            sent, withheld = sorted(set(walk.sent)), sorted(set(walk.withheld))
        disclosure = Disclosure(
            recipient, profile.name, profile.lawful_basis, tuple(sent), tuple(withheld)
        )
        return kept, disclosure


class _Walk:
    """One pass over a body: keep what is allowed or required, note what was sent or held."""

    def __init__(self, root: Schema, allowed: frozenset[str]) -> None:
        self._root = root
        self._allowed = allowed
        self.sent: list[str] = []
        self.withheld: list[str] = []

    def object(self, value: Mapping[str, Any], path: str, nodes: list[Schema]) -> dict[str, Any]:
        nodes = self._expand(nodes)
        required = {name for node in nodes for name in node.get("required", ())}
        kept: dict[str, Any] = {}
        for name, item in value.items():
            child = f"{path}.{name}" if path else name
            if child in self._allowed:
                self.sent.append(child)
                kept[name] = item
            elif name in required or self._leads_to_allowed(child):
                children = [n["properties"][name] for n in nodes if name in n.get("properties", {})]
                kept[name] = self.value(item, child, children)
            else:
                self.withheld.append(child)
        return kept

    def value(self, item: Any, path: str, nodes: list[Schema]) -> Any:
        if isinstance(item, dict):
            return self.object(item, path, nodes)
        if isinstance(item, list):
            items = [node["items"] for node in self._expand(nodes) if "items" in node]
            return [self.value(element, f"{path}[]", items) for element in item]
        self.sent.append(path)
        return item

    def _leads_to_allowed(self, path: str) -> bool:
        return any(entry.startswith((f"{path}.", f"{path}[]")) for entry in self._allowed)

    def _expand(self, nodes: list[Schema]) -> list[Schema]:
        """Resolve local `$ref`s and flatten `oneOf`/`anyOf`/`allOf` into one list of nodes."""
        found: list[Schema] = []
        pending = list(nodes)
        while pending:
            node = pending.pop()
            if "$ref" in node:
                pending.append(self._resolve(str(node["$ref"])))
            for keyword in ("oneOf", "anyOf", "allOf"):
                pending.extend(node.get(keyword, ()))
            found.append(node)
        return found

    def _resolve(self, reference: str) -> Schema:
        node: Any = self._root
        for part in reference.removeprefix("#/").split("/"):
            node = node[part]
        result: Schema = node
        return result
