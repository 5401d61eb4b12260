"""LAN address detection and base URLs."""

from __future__ import annotations

import pytest

from facilitator.web import network


def test_default_route_address_comes_first_and_loopback_is_dropped(monkeypatch) -> None:
    routes = {"198.51.100.1": "192.168.1.20", "10.255.255.254": "10.0.0.5", "172.31.255.254": None, "192.168.255.254": "192.168.1.20"}
    monkeypatch.setattr(network, "_route_address", lambda target: routes[target])
    monkeypatch.setattr(network, "_hostname_addresses", lambda: ["127.0.1.1", "169.254.3.3", "10.0.0.5", "172.20.0.9"])
    assert network.lan_addresses() == ["192.168.1.20", "10.0.0.5", "172.20.0.9"]


def test_loopback_only_when_nothing_else_exists(monkeypatch) -> None:
    monkeypatch.setattr(network, "_route_address", lambda target: None)
    monkeypatch.setattr(network, "_hostname_addresses", lambda: ["127.0.0.1"])
    assert network.lan_addresses() == ["127.0.0.1"]


def test_real_detection_returns_ipv4_addresses() -> None:
    addresses = network.lan_addresses()
    assert addresses
    assert all(len(a.split(".")) == 4 for a in addresses)


def test_base_url_omits_default_ports() -> None:
    assert network.base_url("192.168.1.20", 5000) == "http://192.168.1.20:5000"
    assert network.base_url("192.168.1.20", 80) == "http://192.168.1.20"
    assert network.base_url("example.lan", 443, "https") == "https://example.lan"
    assert network.base_url("example.lan", None) == "http://example.lan"


@pytest.mark.parametrize(("header", "name"), [
    ("localhost:5000", "localhost"), ("LocalHost", "localhost"), ("127.0.0.1:5000", "127.0.0.1"),
    ("[::1]:5000", "::1"), ("[::1]", "::1"), ("::1", "::1"), ("rd.example.org.:8443", "rd.example.org"),
    ("192.168.1.20", "192.168.1.20"),
    (None, None), ("", None), ("127.0.0.1:5000@evil.example", None), ("127.0.0.1:x", None), ("[::1", None),
    ("[::1]x", None), ("evil example", None), ("évil.example", None), (":5000", None),
])
def test_host_name_reads_the_name_out_of_a_host_header(header: str | None, name: str | None) -> None:
    assert network.host_name(header) == name


def test_own_hosts_are_the_laptops_names_the_public_url_and_every_advertised_address() -> None:
    hosts = network.OwnHosts("http://Rode-Draad.example.org:8443/")
    for own in ("localhost:5000", "localhost", "127.0.0.1:5000", "[::1]:5000", "rode-draad.example.org",
                "rode-draad.example.org:8443"):
        assert hosts.allows(own), own
    for foreign in ("evil.example:5000", "192.168.1.20:5000", "127.0.0.2:5000", "localhost.evil.example", "", None):
        assert not hosts.allows(foreign), foreign

    addresses = ["192.168.1.20"]
    provider = hosts.advertising(lambda: list(addresses))
    assert provider() == ["192.168.1.20"]  # the QR code now carries it
    assert hosts.allows("192.168.1.20:5000")
    addresses[:] = ["10.0.0.7"]  # the laptop moved; an old QR code that comes back to it still works
    provider()
    assert hosts.allows("10.0.0.7:5000") and hosts.allows("192.168.1.20:5000")


def test_the_address_a_connection_arrived_on_is_an_own_host_but_a_name_never() -> None:
    hosts = network.OwnHosts()
    assert hosts.allows("192.0.2.2:5000", local_address="192.0.2.2")
    assert hosts.allows("[fd00::2]:5000", local_address="fd00::2")
    assert not hosts.allows("192.0.2.3:5000", local_address="192.0.2.2")
    assert not hosts.allows("evil.example", local_address="evil.example")  # a name could be re-pointed
    assert not hosts.allows("0.0.0.0:5000", local_address="0.0.0.0")


def test_own_hosts_remember_a_bounded_number_of_advertised_addresses() -> None:
    hosts = network.OwnHosts()
    hosts.advertise([f"10.0.{n // 256}.{n % 256}" for n in range(1000)])
    assert len(hosts._advertised) == network.OwnHosts.REMEMBER
    assert hosts.allows("10.0.3.231")  # the newest are kept
