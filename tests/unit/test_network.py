"""LAN address detection and base URLs."""

from __future__ import annotations

from facilitator import network


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
