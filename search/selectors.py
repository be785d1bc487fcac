"""Search everything: the navigation bar's box, its page and `GET /api/v1/search/`.

One function, `search()`, answers all three. Each kind of record is one query whatever the
size of the register: its first `limit_per_type` rows and, through a window count over the
same filtered rows, how many there are in all (docs/performance.md). An empty term runs no
query at all.

On PostgreSQL the text fields are matched with full-text search (`websearch_to_tsquery`:
quoted phrases, `or`, `-word`), ranked, and the identifying field and codes (a contract's
reference, an asset's tag) also match by substring, so "C-00" or half a name still finds
them. Elsewhere (SQLite in development and tests) every field matches by substring, as the
registers' own search boxes do (core.views.RegisterListView).

Every signed-in role may read every register (accounts.read), so every hit links to a page
its reader may open.

It lives in `reminders`, the lowest app that sees every register (contracts, transition,
raid), because both interfaces read it and interfaces never import each other
(docs/architecture.md, "Layers"): the page in `web/views_search.py`, the API in
`api/views/search.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract, Deliverable, ServiceProvider
from core.text import without_control_characters
from core.types import AuthUser
from raid.models import RaidItem
from transition.models import Asset, Milestone, OutsourcedProcess, Programme, StaffMember

# What a person reads at a glance per kind; the rest is counted and one link away.
LIMIT_PER_TYPE = 10
# A term longer than anything a person types is cut, not refused: search never fails.
MAX_TERM_LENGTH = 200

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Hit:
    """One record found: what it is, what it is called, a line of context and its page."""

    type: str
    id: int
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    """The records of one kind found: the first ones, how many in all, and the list of all."""

    type: str
    label: str
    hits: list[Hit]
    total: int
    list_url: str  # "" where no register lists this kind

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


@dataclass(frozen=True)
class Kind:
    """How one kind of record is searched and shown."""

    type: str
    label: Any  # a lazy translation
    queryset: Callable[[], QuerySet]
    # Matched by full-text search on PostgreSQL, by substring elsewhere.
    text_fields: tuple[str, ...]
    # Matched by substring everywhere: the name people type part of, and codes.
    substring_fields: tuple[str, ...]
    # The columns a hit reads, and how they become its title and context line.
    columns: tuple[str, ...]
    title: Callable[[Row], str]
    detail: Callable[[Row], str]
    order_by: str
    detail_url: str
    list_url: str = ""


def _joined(*parts: object) -> str:
    return " · ".join(str(part) for part in parts if part)


KINDS: tuple[Kind, ...] = (
    Kind(
        type="provider",
        label=_("Providers"),
        queryset=ServiceProvider.objects.all,
        text_fields=("name", "legal_name", "notes"),
        substring_fields=("name", "legal_name"),
        columns=("name", "legal_name"),
        title=lambda row: row["name"],
        detail=lambda row: row["legal_name"],
        order_by="name",
        detail_url="contracts:provider_detail",
        list_url="contracts:provider_list",
    ),
    Kind(
        type="contract",
        label=_("Contracts"),
        queryset=Contract.objects.all,
        text_fields=("title", "provider__name"),
        substring_fields=("reference", "title"),
        columns=("reference", "title", "provider__name"),
        title=lambda row: f"{row['reference']} – {row['title']}",
        detail=lambda row: row["provider__name"],
        order_by="reference",
        detail_url="contracts:contract_detail",
        list_url="contracts:contract_list",
    ),
    Kind(
        type="programme",
        label=_("Programmes"),
        queryset=Programme.objects.all,
        text_fields=("name", "description"),
        substring_fields=("name",),
        columns=("name",),
        title=lambda row: row["name"],
        detail=lambda row: "",
        order_by="name",
        detail_url="transition:programme_detail",
        list_url="transition:programme_list",
    ),
    Kind(
        type="process",
        label=_("Processes"),
        queryset=OutsourcedProcess.objects.all,
        text_fields=("name", "description"),
        substring_fields=("name",),
        columns=("name", "programme__name", "state"),
        title=lambda row: row["name"],
        detail=lambda row: _joined(
            row["programme__name"], OutsourcedProcess.State(row["state"]).label
        ),
        order_by="name",
        detail_url="transition:process_detail",
        list_url="transition:process_list",
    ),
    Kind(
        type="milestone",
        label=_("Milestones"),
        queryset=Milestone.objects.all,
        text_fields=("title",),
        substring_fields=("title",),
        columns=("title", "process__name"),
        title=lambda row: row["title"],
        detail=lambda row: row["process__name"],
        order_by="title",
        detail_url="transition:milestone_detail",
        list_url="transition:milestone_list",
    ),
    Kind(
        type="asset",
        label=_("Assets"),
        queryset=Asset.objects.all,
        text_fields=("name",),
        substring_fields=("name", "tag"),
        columns=("name", "tag", "process__name"),
        title=lambda row: row["name"],
        detail=lambda row: _joined(row["tag"], row["process__name"]),
        order_by="name",
        detail_url="transition:asset_detail",
        list_url="transition:asset_list",
    ),
    Kind(
        type="staff",
        label=_("Staff"),
        queryset=StaffMember.objects.all,
        text_fields=("name", "role"),
        substring_fields=("name",),
        columns=("name", "role", "process__name"),
        title=lambda row: row["name"],
        detail=lambda row: _joined(row["role"], row["process__name"]),
        order_by="name",
        detail_url="transition:staff_detail",
        list_url="transition:staff_list",
    ),
    Kind(
        type="raid_item",
        label=_("RAID items"),
        queryset=RaidItem.objects.all,
        text_fields=("title", "description"),
        substring_fields=("title",),
        columns=("title", "kind", "process__name", "programme__name"),
        title=lambda row: row["title"],
        detail=lambda row: _joined(
            RaidItem.Kind(row["kind"]).label, row["process__name"] or row["programme__name"]
        ),
        order_by="title",
        detail_url="raid:item_detail",
        list_url="raid:item_list",
    ),
    Kind(
        type="deliverable",
        label=_("Exit deliverables"),
        queryset=Deliverable.objects.all,
        text_fields=("title", "description"),
        substring_fields=("title",),
        columns=("title", "contract__reference"),
        title=lambda row: row["title"],
        detail=lambda row: row["contract__reference"],
        order_by="title",
        detail_url="contracts:deliverable_detail",
        # No register lists deliverables across contracts: each hit links to its page.
    ),
)


def clean_term(value: object) -> str:
    """A search term as typed, made safe to run: text only, no control characters (which
    PostgreSQL refuses), at most MAX_TERM_LENGTH characters, trimmed."""
    if not isinstance(value, str):
        return ""
    return without_control_characters(value)[:MAX_TERM_LENGTH].strip()


def _substring(fields: tuple[str, ...], term: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def _matches(kind: Kind, term: str) -> QuerySet:
    queryset = kind.queryset()
    if connection.vendor == "postgresql":
        query = SearchQuery(term, search_type="websearch")
        queryset = queryset.annotate(document=SearchVector(*kind.text_fields))
        queryset = queryset.annotate(rank=SearchRank(F("document"), query))
        matched = queryset.filter(Q(document=query) | _substring(kind.substring_fields, term))
        return matched.order_by("-rank", kind.order_by, "pk")
    fields = tuple(dict.fromkeys(kind.text_fields + kind.substring_fields))
    return queryset.filter(_substring(fields, term)).order_by(kind.order_by, "pk")


def _group(kind: Kind, term: str, limit: int) -> Group:
    # The window counts every matching row before LIMIT cuts the page: one query, not two.
    rows = list(
        _matches(kind, term)
        .annotate(search_total=Window(Count("pk")))
        .values("pk", "search_total", *kind.columns)[:limit]
    )
    hits = [
        Hit(
            type=kind.type,
            id=row["pk"],
            title=kind.title(row),
            detail=kind.detail(row),
            url=reverse(kind.detail_url, args=[row["pk"]]),
        )
        for row in rows
    ]
    list_url = ""
    if kind.list_url:
        list_url = f"{reverse(kind.list_url)}?{urlencode({'q': term})}"
    return Group(
        type=kind.type,
        label=str(kind.label),
        hits=hits,
        total=rows[0]["search_total"] if rows else 0,
        list_url=list_url,
    )


def search(user: AuthUser, q: object, *, limit_per_type: int = LIMIT_PER_TYPE) -> list[Group]:
    """The kinds of record in which `q` is found, in a fixed order, each with its first
    `limit_per_type` hits and its total; kinds without a hit are left out.

    One query per kind; none for an empty or blank term. `user` is every role (all read
    every register); it is here so that a narrower rule has one place to go.
    """
    term = clean_term(q)
    if not term or not user.is_authenticated:
        return []
    groups = (_group(kind, term, limit_per_type) for kind in KINDS)
    return [group for group in groups if group.total]
