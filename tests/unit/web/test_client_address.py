"""The client's address: proxy headers believed only from trusted proxies, read from the right."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from interforce.web.client_address import Network, client_address, parse_address, throttle_key

PROXY = [ip_network("10.0.0.0/24")]
PROXY_V6 = [ip_network("fd00:1::/64")]


def address(text: str) -> IPv4Address | IPv6Address:
    return ip_address(text)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        # No trusted proxy: the header is anyone's to write, so only the peer counts.
        ("203.0.113.7", [], [], "203.0.113.7"),
        ("203.0.113.7", ["198.51.100.1"], [], "203.0.113.7"),
        ("10.0.0.1", ["198.51.100.1"], [], "10.0.0.1"),
        # A proxy that is not the trusted one: its header is not believed either.
        ("10.0.1.1", ["198.51.100.1"], PROXY, "10.0.1.1"),
        # The trusted proxy appended who connected to it.
        ("10.0.0.1", ["198.51.100.1"], PROXY, "198.51.100.1"),
        ("10.0.0.1", ["  198.51.100.1  "], PROXY, "198.51.100.1"),
        # What the client wrote itself, left of the proxy's entry, is never looked at.
        ("10.0.0.1", ["1.1.1.1, 10.0.0.9, 198.51.100.1"], PROXY, "198.51.100.1"),
        ("10.0.0.1", ["1.1.1.1", "198.51.100.1"], PROXY, "198.51.100.1"),
        # Two trusted proxies in a row: the walk goes on past the inner one.
        ("10.0.0.1", ["198.51.100.1, 10.0.0.2"], PROXY, "198.51.100.1"),
        ("10.0.0.1", ["198.51.100.1", "10.0.0.2"], PROXY, "198.51.100.1"),
        # Only proxies: the leftmost of them.
        ("10.0.0.1", ["10.0.0.3, 10.0.0.2"], PROXY, "10.0.0.3"),
        # The trusted proxy sent no header, or an empty one.
        ("10.0.0.1", [], PROXY, "10.0.0.1"),
        ("10.0.0.1", [""], PROXY, "10.0.0.1"),
        # An entry that is not an address stops at the last hop that could be believed.
        ("10.0.0.1", ["198.51.100.1, unknown"], PROXY, "10.0.0.1"),
        ("10.0.0.1", ["198.51.100.1, _hidden, 10.0.0.2"], PROXY, "10.0.0.2"),
        ("10.0.0.1", ["198.51.100.1,"], PROXY, "10.0.0.1"),
        # Ports, as some proxies write them.
        ("10.0.0.1", ["198.51.100.1:50123"], PROXY, "198.51.100.1"),
        ("10.0.0.1", ["[2001:db8::7]:443"], PROXY, "2001:db8::7"),
        # IPv6 peers, proxies and clients.
        ("2001:db8::7", ["198.51.100.1"], [], "2001:db8::7"),
        ("fd00:1::5", ["2001:db8:aa::1"], PROXY_V6, "2001:db8:aa::1"),
        ("fd00:2::5", ["2001:db8:aa::1"], PROXY_V6, "fd00:2::5"),
        ("fd00:1::5", ["2001:db8:aa::1, fd00:1::6"], PROXY_V6, "2001:db8:aa::1"),
        ("[fd00:1::5]", ["198.51.100.1"], PROXY_V6, "198.51.100.1"),
        ("fe80::1%eth0", [], [], "fe80::1"),
        # A v4 proxy seen on a dual-stack socket is the same proxy.
        ("::ffff:10.0.0.1", ["198.51.100.1"], PROXY, "198.51.100.1"),
        ("10.0.0.1", ["::ffff:198.51.100.1"], PROXY, "198.51.100.1"),
        # An IPv6 network trusts no IPv4 peer, and the other way round.
        ("10.0.0.1", ["198.51.100.1"], PROXY_V6, "10.0.0.1"),
        ("fd00:1::5", ["198.51.100.1"], PROXY, "fd00:1::5"),
    ],
)
def test_the_client_address(
    peer: str, forwarded: list[str], trusted: list[Network], client: str
) -> None:
    assert client_address(peer, forwarded, trusted) == address(client)


@pytest.mark.parametrize("peer", [None, "", "testclient", "unix:/run/sock", "::g"])
def test_a_peer_that_is_no_address_is_unknown(peer: str | None) -> None:
    assert client_address(peer, ["198.51.100.1"], PROXY) is None
    assert throttle_key(None) == "unknown"


@pytest.mark.parametrize(
    ("client", "key"),
    [
        ("198.51.100.1", "198.51.100.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
        ("::1", "::/64"),
    ],
)
def test_failures_are_counted_by_address_and_an_ipv6_address_by_its_64(
    client: str, key: str
) -> None:
    assert throttle_key(address(client)) == key


def test_every_address_of_one_ipv6_subscriber_shares_one_count() -> None:
    keys = {throttle_key(address(f"2001:db8:5:6:{n:x}::1")) for n in range(100)}
    assert keys == {"2001:db8:5:6::/64"}


@given(st.text(), st.lists(st.text()))
def test_no_header_from_an_untrusted_peer_changes_the_client(
    spoofed: str, headers: list[str]
) -> None:
    assert client_address("203.0.113.7", [spoofed, *headers], PROXY) == address("203.0.113.7")
    assert client_address("10.0.0.1", [spoofed, *headers], []) == address("10.0.0.1")


@given(st.text(), st.ip_addresses(v=4) | st.ip_addresses(v=6))
def test_nothing_a_client_writes_moves_it_from_the_address_the_proxy_saw(
    spoofed: str, real: IPv4Address | IPv6Address
) -> None:
    """The proxy appends the real client after whatever the client sent in the header."""
    seen = parse_address(str(real))
    assume(seen is not None and seen not in PROXY[0])  # a proxy's own address walks on
    assert client_address("10.0.0.1", [f"{spoofed}, {real}"], PROXY) == seen


@given(st.text())
def test_any_text_parses_to_an_address_or_to_none(text: str) -> None:
    found = parse_address(text)
    assert found is None or isinstance(found, IPv4Address | IPv6Address)
