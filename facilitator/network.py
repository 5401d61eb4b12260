"""Find the addresses phones on the same network can reach this laptop on."""

from __future__ import annotations

import ipaddress
import socket

#: Probe targets for route lookups. Connecting a UDP socket sends no packet; it only asks the
#: kernel which local address it would use. The default route comes first.
_ROUTE_PROBES = ("198.51.100.1", "10.255.255.254", "172.31.255.254", "192.168.255.254")


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def _route_address(target: str) -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect((target, 9))
            return str(probe.getsockname()[0])
        except OSError:
            return None


def _hostname_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def lan_addresses() -> list[str]:
    """Return this machine's LAN IPv4 addresses, the default route's first; loopback only if none."""
    found: list[str] = []
    candidates = [_route_address(target) for target in _ROUTE_PROBES] + _hostname_addresses()
    for address in candidates:
        if address and _usable(address) and address not in found:
            found.append(address)
    return found or ["127.0.0.1"]


def base_url(host: str, port: int | None, scheme: str = "http") -> str:
    """Return a base URL for a host and port."""
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"
