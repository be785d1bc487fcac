"""The site's own pages, found from the URL configuration, so a page added later is covered."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_NAMESPACES = {"admin", "api"}  # the admin is walked model by model; the API is JSON
ANSWERS_WITHOUT_A_PAGE = {200, 302, 403, 404, 405}


def page_routes(patterns=None, prefix="", namespace=""):
    """Every route of the site's own pages, as (name, route) with converters left in."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES or route.startswith(("admin/", "api/")):
                continue
            yield from page_routes(entry.url_patterns, prefix + route, entry.namespace or "")
        elif isinstance(entry, URLPattern) and not route.startswith("^"):
            yield f"{namespace}:{entry.name}", prefix + route


def concrete_paths(route: str, pks: set[int]) -> list[str]:
    """`route` with each object id filled in; routes with other parameters are left out."""
    converters = re.findall(r"<[^>]+>", route)
    if not converters:
        return ["/" + route]
    if converters != ["<int:pk>"]:
        return []
    return ["/" + route.replace("<int:pk>", str(pk)) for pk in sorted(pks)]
