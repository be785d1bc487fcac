"""Search every register at once: the navigation bar's search for API clients (web/search.py)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from search.selectors import LIMIT_PER_TYPE, MAX_TERM_LENGTH, search

from ..permissions import RulePermission
from ..serializers.search import SearchResultsSerializer

# The characters that would end a <script> or open markup if the JSON were ever pasted into
# a page, written as JSON escapes (as Django's json_script does); the data is unchanged.
HTML_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


class HtmlSafeJSONRenderer(JSONRenderer):
    """JSON in which user text can never read as HTML."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        for character, escape in HTML_ESCAPES:
            body = body.replace(character, escape)
        return body


class SearchView(APIView):
    """Read-only for every role: the same search as the navigation bar's box."""

    permission_classes = [RulePermission]
    write_permission = None
    renderer_classes = [HtmlSafeJSONRenderer]

    @extend_schema(
        summary="Search every register",
        description=(
            "Providers (name, legal name, notes), contracts (reference, title, provider), "
            "programmes and processes (name, description), milestones (title), assets (name, "
            "tag), staff (name, role), RAID items (title, description) and exit deliverables "
            "(title, description). On PostgreSQL the words are matched by full-text search "
            "(quoted phrases, `or` and `-word` work) and names, references and tags also by "
            f"part; elsewhere every field by part. At most {LIMIT_PER_TYPE} results of each "
            "type. An empty `q` answers no results."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=(
                    f"What to look for. Control characters are dropped and anything past "
                    f"{MAX_TERM_LENGTH} characters is ignored."
                ),
            )
        ],
        responses=SearchResultsSerializer,
    )
    def get(self, request):
        # Read raw, not through a CharField: a term is cleaned, never refused (core/text.py).
        groups = search(request.user, request.query_params.get("q", ""))
        results = [
            {
                "type": hit.type,
                "id": hit.id,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
            }
            for group in groups
            for hit in group.hits
        ]
        return Response(SearchResultsSerializer({"results": results}).data)
