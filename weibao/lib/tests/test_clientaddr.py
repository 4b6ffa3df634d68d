from __future__ import annotations

import pytest

from weibao.lib.clientaddr import client_address, networks

PROXIES = networks(["10.8.0.2", "10.9.0.0/24", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("192.0.2.1", "", "192.0.2.1"),
        # Not from a proxy: the header is the client's own word, ignored.
        ("192.0.2.1", "198.51.100.7", "192.0.2.1"),
        ("10.8.0.2", "198.51.100.7", "198.51.100.7"),
        # The client wrote the left part; the proxy appended the address it saw.
        ("10.8.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two proxies in a row.
        ("10.8.0.2", "198.51.100.7, 10.9.0.4", "198.51.100.7"),
        ("10.8.0.2", "198.51.100.7:5123", "198.51.100.7"),
        ("10.8.0.2", "garbage", "10.8.0.2"),
        ("10.8.0.2", "garbage, 198.51.100.7", "198.51.100.7"),
        ("10.8.0.2", "", "10.8.0.2"),
        ("fd00::1", "[2001:db8::5]:443", "2001:db8::5"),
        ("", "198.51.100.7", None),
    ],
)
def test_client_address(remote: str, forwarded: str, expected: str | None) -> None:
    assert client_address(remote, forwarded, PROXIES) == expected


def test_without_proxies_the_header_is_never_read() -> None:
    assert client_address("10.8.0.2", "198.51.100.7", ()) == "10.8.0.2"


def test_a_bad_proxy_setting_is_refused() -> None:
    with pytest.raises(ValueError):
        networks(["not-an-address"])
