"""One date format everywhere: "16 Dec 2026" on every page, ISO dates only where machines read
them (attributes, date inputs), and templates format dates through the `ui` filters only
(docs/workspace.md, "Pages that stay true")."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from contracts.models import Contract
from transition.demo import seed_demo
from transition.models import Asset, Milestone, OutsourcedProcess, Programme, StaffMember

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
HUMAN_DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b")  # 16 Dec 2026
# Formats for machines, allowed in attributes: <time datetime>, a date input's value, a URL.
MACHINE_FORMATS = {"c", "Y-m-d"}
DATE_FILTER = re.compile(r"""\|date:\s*(["'])(?P<format>[^"']*)\1""")
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_templates_format_dates_for_people_only_through_the_ui_filters():
    misuses = [
        f"{path.relative_to(TEMPLATES)}: |date:{match['format']!r}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in DATE_FILTER.finditer(path.read_text(encoding="utf-8"))
        if match["format"] not in MACHINE_FORMATS
    ]
    assert not misuses, "use |day, |day_time or |month_year:\n" + "\n".join(misuses)


class PageText(HTMLParser):
    """What a reader sees of a page (text, not attributes or scripts) and its inputs."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.inputs: list[dict[str, str | None]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        if tag == "input":
            self.inputs.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def main_pages() -> list[str]:
    """Every kind of main page, each showing dates of the demo portfolio."""
    programme = Programme.objects.get()
    contract = Contract.objects.filter(exit_notices__isnull=False).first()
    pages = [
        reverse("dashboard"),
        reverse("contracts:contract_list"),
        contract.get_absolute_url(),
        reverse("transition:programme_list"),
        programme.get_absolute_url(),
        reverse("transition:process_list"),
        reverse("transition:process_board"),
        reverse("transition:milestone_list"),
        reverse("transition:asset_list"),
        reverse("transition:staff_list"),
        Milestone.objects.filter(status="done").first().get_absolute_url(),
        Asset.objects.first().get_absolute_url(),
        StaffMember.objects.first().get_absolute_url(),
        reverse("transition:milestone_create") + f"?process={OutsourcedProcess.objects.first().pk}",
        reverse("profile"),
    ]
    # A workspace in every state: notices, events, readiness, schedule.
    pages += [
        OutsourcedProcess.objects.filter(state=state).first().get_absolute_url()
        for state, _label in OutsourcedProcess.State.choices
    ]
    return pages


@pytest.mark.django_db
def test_main_pages_show_no_iso_dates_and_take_dates_in_date_inputs(client):
    seed_demo()
    client.force_login(get_user_model().objects.get(username="olivia"))
    found, undated = [], []
    for url in main_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        page = PageText()
        page.feed(response.content.decode())
        text = " ".join(page.text)
        found += [f"{url}: text {iso!r}" for iso in ISO_DATE.findall(text)]
        if not HUMAN_DATE.search(text):
            undated.append(url)
        found += [
            f"{url}: <input name={field.get('name')!r} type={field.get('type')!r}>"
            for field in page.inputs
            if ISO_DATE.fullmatch(field.get("value") or "")
            and field.get("type") not in ("date", "hidden")
        ]
    assert not found, "\n".join(found)
    # The scan reads the text people see: every page but the form and the profile has dates.
    assert {url.split("?")[0] for url in undated} <= {
        reverse("transition:milestone_create"),
        reverse("profile"),
    }, undated
