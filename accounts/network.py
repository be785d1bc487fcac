"""The client address that sign-in lockouts count against (docs/security.md, "Client
addresses and lockout behind a proxy").

Behind a TLS proxy every request arrives from the proxy's address, so django-axes, which
counts failures per username and address, would lock a user out for everyone after ten
wrong passwords from anyone. The proxy passes the real client in X-Forwarded-For, but any
client can send that header too: it is believed only when the request comes from an address
listed in TRUSTED_PROXIES (the DJANGO_TRUSTED_PROXIES variable), and then only the entries
our proxies appended are read, right to left, up to the first address that is not a proxy
of ours. Whatever a client wrote further left is never used.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Addresses and CIDR networks, as DJANGO_TRUSTED_PROXIES lists them."""
    return tuple(ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def parse_address(text: str) -> Address | None:
    """An address as proxies write it (with or without a port), or None if it is not one."""
    text = text.strip()
    if text.startswith("["):  # "[2001:db8::1]:443"
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, unless that is a trusted proxy; then the
    nearest address in X-Forwarded-For that is not one of our proxies."""
    remote_addr = request.META.get("REMOTE_ADDR") or None
    client = parse_address(remote_addr or "")
    networks = parse_networks(tuple(settings.TRUSTED_PROXIES))
    if client is None or not _trusted(client, networks):
        return remote_addr
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = parse_address(entry)
        if address is None:
            # Not an address ("unknown", garbage): nothing left of it can be trusted, so the
            # last proxy that handed the request on stands for the client.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
