"""What `GET /api/v1/search/` answers: the records matching a term, grouped by type."""

from __future__ import annotations

from rest_framework import serializers

from search.selectors import KINDS


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[(kind.type, str(kind.label)) for kind in KINDS],
        help_text="What kind of record this is.",
    )
    id = serializers.IntegerField(help_text="Its id in the API list of its type.")
    title = serializers.CharField(help_text="Its name, title or reference, as pages show it.")
    url = serializers.URLField(help_text="Its page in the web application.")


class SearchResultsSerializer(serializers.Serializer):
    results = SearchHitSerializer(
        many=True,
        help_text=(
            "Grouped by type in a fixed order (providers, contracts, programmes, processes, "
            "milestones, assets, staff, RAID items, exit deliverables), at most 10 of each."
        ),
    )
