"""Network addresses, minimised."""

from __future__ import annotations

import ipaddress


def truncate_ip(address: str) -> str:
    """IPv4 to /24, IPv6 to /48; anything unparseable to an empty string."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
