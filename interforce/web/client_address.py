"""Who is signing in: the client's address, believing proxy headers only from trusted proxies.

A request's TCP peer is the client unless the peer is one of the configured proxies. Then
`X-Forwarded-For` is read from the right: each entry is the address that the hop to its
right saw, so an entry is believed only while every hop to its right is a trusted proxy.
The first entry that is not a trusted proxy is the client; anything a client wrote further
left is never looked at. An entry that is not an address stops the walk at the last hop
that could be believed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network

IPV6_PREFIX = 64
"""An IPv6 client is counted by its /64: one subscriber or site holds a whole /64."""


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]
) -> Address | None:
    """The client's address, or None if the peer's own address is unknown or not an address."""
    hop = parse_address(peer or "")
    if hop is None:
        return None
    hops = [entry for header in forwarded_for for entry in header.split(",")]
    while _trusted(hop, trusted) and hops:
        earlier = parse_address(hops.pop())
        if earlier is None:
            break
        hop = earlier
    return hop


def throttle_key(address: Address | None) -> str:
    """The key sign-in failures are counted under: the address, an IPv6 one by its /64."""
    if address is None:
        return "unknown"
    if isinstance(address, IPv6Address):
        return str(IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def parse_address(text: str) -> Address | None:
    """An address as a peer or a proxy writes it (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`)."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        found = ip_address(text.partition("%")[0])  # a zone (`fe80::1%eth0`) names no one
    except ValueError:
        return None
    if isinstance(found, IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)
