"""The client's address behind trusted reverse proxies.

A proxy puts the address it received the request from at the end of X-Forwarded-For. Reading that
header from anyone else would let a client name any address it likes, so only the addresses a
county configures as its proxies are trusted to add to it: walking the header from the right, the
first address that is not one of them is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(specs: Iterable[str]) -> tuple[Network, ...]:
    """Parse "10.0.0.5" or "10.0.0.0/24" (v4 or v6); raises ValueError on anything else."""
    return tuple(ipaddress.ip_network(spec.strip(), strict=False) for spec in specs if spec.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[Network]
) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(remote_addr: str, forwarded_for: str, proxies: Sequence[Network]) -> str | None:
    """The client's address: REMOTE_ADDR, unless it is a trusted proxy, then the right-most
    address of X-Forwarded-For that is not a trusted proxy. A malformed entry ends the walk at the
    last good address: whatever stands left of it was written by the client."""
    remote = _address(remote_addr or "")
    if remote is None:
        return None
    if not proxies or not forwarded_for or not _trusted(remote, proxies):
        return str(remote)
    client = remote
    for entry in reversed(forwarded_for.split(",")):
        address = _address(entry)
        if address is None:
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)
