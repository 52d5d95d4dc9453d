"""Network addresses: who is asking (through trusted proxies only), and minimised forms of it.

Every rate limit keys on `client_address(request)`. Behind a TLS-terminating proxy every visitor
arrives from the proxy's address, so the proxy's `X-Forwarded-For` must be read, but only from
peers the operator named in `TRUSTED_PROXIES`: anyone else could write the header themselves and
pick whichever address they like to be counted against. The walk goes from the right (the entry
our nearest proxy added) and stops at the first address that is not one of our proxies.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


_IPV4_24 = (1 << 32) - (1 << 8)
_IPV6_48 = (1 << 128) - (1 << 80)


def truncate_ip(address: str) -> str:
    """IPv4 to /24, IPv6 to /48; anything unparseable to an empty string."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    # Masking the integer is the network address without building a network object (a third
    # of the analytics beacon's time went on that).
    if ip.version == 4:
        return str(ipaddress.IPv4Address(int(ip) & _IPV4_24))
    return str(ipaddress.IPv6Address(int(ip) & _IPV6_48))


@cache
def _trusted(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the person at the other end, or "unknown"."""
    peer = str(request.META.get("REMOTE_ADDR", "")).strip()
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _is_trusted(peer, networks):
        return peer or "unknown"
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a garbled header: count the proxy itself rather than guess
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
