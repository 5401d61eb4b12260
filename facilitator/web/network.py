"""Find the addresses phones on the same network can reach this laptop on."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

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


#: A function that returns the laptop's LAN addresses, default route first (lan_addresses, or a test's fake).
AddressProvider = Callable[[], list[str]]


def accepts_connections(address: str, port: int, timeout: float = 0.5) -> bool:
    """Tell whether a TCP connection to address:port opens from this machine (the server listens there).

    This checks the laptop itself: that the server listens on that address. A firewall or a guest network
    that keeps phones out is not seen from here; only a phone opening the test QR code shows that.
    """
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class Probe:
    """One reachability test: a QR code for /t/<id> that the host view shows, and whether a phone opened it."""

    id: str
    session_id: str
    created_at: float
    #: The address and port a phone reached the laptop on ("192.168.1.20:5000"); empty until one did.
    reached_via: str = ""


class ProbeBook:
    """The reachability tests of the last while, in memory only: an id, its bijeenkomst and a "seen" flag."""

    #: Tests older than this are forgotten; the host view makes a new one on every click.
    TTL_SECONDS = 30 * 60
    #: At most this many tests are kept; the oldest go first.
    LIMIT = 200

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._probes: dict[str, Probe] = {}
        self._lock = threading.Lock()

    def _expire(self) -> None:
        cutoff = self.clock() - self.TTL_SECONDS
        for probe_id in [p.id for p in self._probes.values() if p.created_at < cutoff]:
            del self._probes[probe_id]
        while len(self._probes) > self.LIMIT:
            del self._probes[next(iter(self._probes))]

    def new(self, session_id: str) -> Probe:
        """Start a test for a bijeenkomst's host view."""
        probe = Probe(id=secrets.token_urlsafe(12), session_id=session_id, created_at=self.clock())
        with self._lock:
            self._probes[probe.id] = probe
            self._expire()
        return probe

    def get(self, probe_id: str) -> Probe | None:
        """Return a test that is still kept."""
        with self._lock:
            self._expire()
            return self._probes.get(probe_id)

    def reached(self, probe_id: str, via: str) -> Probe | None:
        """Record that a phone opened the test's page through `via`; return the test, or None if unknown."""
        with self._lock:
            self._expire()
            probe = self._probes.get(probe_id)
            if probe is None:
                return None
            probe = replace(probe, reached_via=via)
            self._probes[probe_id] = probe
            return probe


#: Names the laptop itself answers to, whatever network it is on.
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(header: str | None) -> str | None:
    """Return the lower-case name or address in a Host header ("[::1]:5000" -> "::1"); None when it is malformed."""
    if not header:
        return None
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else rest
        if not bracket or (rest and not rest.startswith(":")):
            return None
    elif value.count(":") > 1:  # a bare IPv6 address (not valid in a Host header, but unambiguous)
        name, port = value, ""
    else:
        name, _colon, port = value.partition(":")
    if port and not (port.isascii() and port.isdigit()):
        return None
    name = name.rstrip(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-.:")
    return name if name and set(name) <= allowed else None


def _is_address(name: str) -> bool:
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    return not ip.is_unspecified


class OwnHosts:
    """The names this server answers to: localhost, 127.0.0.1, ::1, the configured public URL's host, every address
    the laptop has advertised (a QR code or a join link carries it), and the address a connection arrived on.

    A page on another site reaches the laptop by pointing a name of its own at the laptop's address (DNS
    rebinding); its requests then carry that name in Host. Refusing every other name shuts that door. An address
    (not a name) is always one an attacker cannot re-point, so accepting every address the laptop ever showed, also
    one it has since lost, costs nothing and keeps an old QR code working when the laptop comes back to it.
    """

    #: At most this many advertised addresses are remembered (a laptop that moves all afternoon has a few).
    REMEMBER = 64

    def __init__(self, public_url: str = "") -> None:
        public = urlsplit(public_url).hostname if public_url else None
        self.fixed = LOCAL_NAMES | ({public.rstrip(".").lower()} if public else set())
        self._advertised: tuple[str, ...] = ()

    def advertising(self, provider: AddressProvider) -> AddressProvider:
        """Wrap an address provider so that every address it returns (and so every QR code) is an own host."""

        def addresses() -> list[str]:
            found = provider()
            self.advertise(found)
            return found

        return addresses

    def advertise(self, addresses: list[str]) -> None:
        """Remember addresses the laptop shows to phones; safe from a worker thread (one reference swap)."""
        new = [a.lower() for a in addresses if a.lower() not in self._advertised]
        if new:
            self._advertised = (*self._advertised, *new)[-self.REMEMBER:]

    def allows(self, host_header: str | None, local_address: str = "") -> bool:
        """Tell whether a request with this Host header, arriving on `local_address`, is for this laptop."""
        name = host_name(host_header)
        if name is None:
            return False
        if name in self.fixed or name in self._advertised:
            return True
        # The address the connection arrived on is the laptop's own by definition (a second network card, IPv6).
        return name == local_address.lower() and _is_address(name)
