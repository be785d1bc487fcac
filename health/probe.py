"""`python -m health.probe /readyz`: exit 0 when this container's web server answers 200.

Docker's healthchecks (Dockerfile, docker-compose.yml; docs/operations.md). Plain urllib and
no Django, so a probe costs milliseconds. It asks 127.0.0.1 (always a probe host,
settings HEALTH_ALLOWED_HOSTS) and says the request came over HTTPS, as the TLS proxy in
front would (settings SECURE_PROXY_SSL_HEADER), so the HTTPS redirect never answers it.
"""

import sys
import urllib.error
import urllib.request

PATHS = ("/healthz", "/readyz")
LOCAL = "http://127.0.0.1:8000"


def probe(path: str = "/healthz", base_url: str = LOCAL, timeout: float = 5) -> int:
    """0 when `base_url + path` answers 200, else 1 (the reason on stderr)."""
    if path not in PATHS:
        print(f"probe: {path!r} is not one of {', '.join(PATHS)}", file=sys.stderr)
        return 2
    if not base_url.startswith(("http://", "https://")):
        print("probe: the base URL must be http(s)", file=sys.stderr)
        return 2
    # The scheme is checked above: never file:// or another opener (ruff S310, bandit B310).
    url = base_url + path
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 # nosec
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"probe: {base_url + path}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(probe(*sys.argv[1:3]))
