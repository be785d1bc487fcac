"""No export hands a spreadsheet a formula: every CSV/XLSX the site offers, found by walking it.

Formula text goes into every free-text field through the API (as the XSS corpus does);
then every list that exports, the outsourcing register and the admin's export are read
back cell by cell.
"""

import csv
import datetime
import io
import itertools

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import resolve, reverse
from openpyxl import load_workbook

from contracts.models import ServiceProvider
from core.spreadsheets import FORMULA_TRIGGERS, PLAIN_NUMBER, neutralise, restore
from core.views import EXPORT_FORMATS, RegisterListView
from tests.security import corpus
from tests.security.site import concrete_paths, page_routes

pytestmark = pytest.mark.django_db

FORMULAS = (
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "'=already quoted",
)


@pytest.fixture
def portfolio(monkeypatch):
    monkeypatch.setattr(corpus, "PAYLOADS", FORMULAS)
    return corpus.hostile_portfolio()


def is_formula(value) -> bool:
    return (
        isinstance(value, str)
        and value[:1] in FORMULA_TRIGGERS
        and not PLAIN_NUMBER.fullmatch(value)
    )


def cells(content: bytes, fmt: str) -> list:
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        return list(itertools.chain.from_iterable(csv.reader(io.StringIO(text, newline=""))))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
            found.append(cell.value)
    return found


def export_urls() -> list[str]:
    """Every list page that exports, plus the outsourcing register."""
    urls = []
    for _name, route in page_routes():
        for path in concrete_paths(route, set()):
            view = getattr(resolve(path).func, "view_class", None)
            if view and issubclass(view, RegisterListView) and view.resource_class:
                urls += [f"{path}?export={fmt}" for fmt in EXPORT_FORMATS]
    urls += [f"/export/register.{fmt}" for fmt in EXPORT_FORMATS]
    urls += [f"/portfolio/totals.{fmt}" for fmt in EXPORT_FORMATS]
    return urls


def test_neutralise_and_restore_round_trip_any_text():
    for text in (*FORMULAS, "''=x", "plain", "'plain", "-12.50", "+44", "-", "", "@"):
        assert restore(neutralise(text)) == text
        assert not is_formula(neutralise(text))


def test_no_export_of_the_site_holds_a_formula(client, portfolio):
    client.force_login(portfolio.ops)
    urls = export_urls()
    assert len(urls) >= 16, urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response) if response.streaming else response.content
        fmt = "csv" if url.endswith("csv") else "xlsx"
        values = cells(content, fmt)
        assert [v for v in values if is_formula(v)] == [], url
        if "providers" in url or "register" in url:
            assert any(isinstance(v, str) and v.startswith("'=") for v in values), url


def test_the_admin_export_holds_no_formula(admin_user, portfolio):
    model_admin = admin.site._registry[ServiceProvider]
    request = RequestFactory().get("/")
    request.user = admin_user
    for format_class in model_admin.get_export_formats():
        data = model_admin.get_export_data(
            format_class(), request, queryset=ServiceProvider.objects.all()
        )
        content = data.encode() if isinstance(data, str) else data
        values = cells(content, format_class().get_extension())
        assert [v for v in values if is_formula(v)] == []


def test_text_xml_cannot_carry_still_exports(client, portfolio):
    # Stored before input was checked (core/text.py refuses it now).
    ServiceProvider.objects.filter(pk=portfolio.objects[0].pk).update(name="Ctrl\x07Char Ltd")
    client.force_login(portfolio.ops)
    for fmt in EXPORT_FORMATS:
        response = client.get(reverse("contracts:provider_list"), {"export": fmt})
        assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [c.value for c in workbook.worksheets[0]["A"]]
    assert "Ctrl\N{REPLACEMENT CHARACTER}Char Ltd" in names


def test_the_admin_xlsx_export_names_its_sheet_and_types_its_cells(admin_user, portfolio):
    from contracts.models import Contract
    from core.spreadsheets import SafeXLSX

    model_admin = admin.site._registry[Contract]
    request = RequestFactory().get("/")
    request.user = admin_user
    data = model_admin.get_export_data(SafeXLSX(), request, queryset=Contract.objects.all())
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Contracts"
    header = [cell.value for cell in sheet[1]]
    first = [cell.value for cell in sheet[2]]
    assert isinstance(first[header.index("start_date")], datetime.datetime)
    assert isinstance(first[header.index("annual_value")], int | float)
