"""Transition pages stay bounded at portfolio scale (docs/performance.md): the Gantt draws
one page of processes (or one process), the programme page shows its first processes, the
contract and process filters search as you type, and the milestone list counts
dependencies per row of its page. Query counts are pinned at two sizes.

Counts include the session, the user, the user's groups (rules) and the notification badge;
a register list adds its saved views (one query, docs/saved-views.md).
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.transition.factories import (
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
)
from transition.models import Baseline, BaselineMilestone, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PAGE = 25


def add_processes(programme, count: int, **kwargs) -> list:
    """`count` processes, each with two milestones, the second waiting for the first."""
    processes = []
    for _ in range(count):
        process = OutsourcedProcessFactory(programme=programme, **kwargs)
        first = MilestoneFactory(process=process, start_date=date(2026, 12, 1))
        MilestoneFactory(process=process).depends_on.add(first)
        processes.append(process)
    return processes


def get(client, url: str, django_assert_num_queries, expected: int):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def gantt_groups(response) -> list[str]:
    """The processes the chart draws, by the id of each group's rows."""
    return re.findall(r'<div class="gantt-rows" id="gantt-rows-(\d+)">', response.content.decode())


def gantt_bars(response) -> int:
    return response.content.decode().count('<g class="gantt-bar')


# Gantt
# 8 before the critical path, freezes and baselines: + the programme's change freezes and
# the baselines offered (the critical path is computed from the rows already loaded), and
# + the chosen baseline's dates of the page's milestones when one is chosen.
GANTT_QUERIES = 10


def test_the_gantt_draws_one_page_of_processes_in_the_same_queries_whatever_the_programme(
    client, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    url = reverse("transition:programme_gantt", args=[programme.pk])
    add_processes(programme, 1)
    small = get(client, url, django_assert_num_queries, GANTT_QUERIES)
    assert len(gantt_groups(small)) == 1
    assert gantt_bars(small) == 2

    add_processes(programme, 2 * PAGE + 3)
    large = get(client, url, django_assert_num_queries, GANTT_QUERIES)
    assert len(gantt_groups(large)) == PAGE
    assert gantt_bars(large) == 2 * PAGE
    assert len(large.context["timeline"].processes) == PAGE
    assert f"Showing 1–{PAGE} of {2 * PAGE + 4}" in large.content.decode()
    assert 'rel="next"' in large.content.decode()

    last = get(client, f"{url}?page=3", django_assert_num_queries, GANTT_QUERIES)
    assert len(gantt_groups(last)) == 4


def test_the_gantt_compares_a_page_with_a_baseline_in_one_more_query(
    client, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    url = reverse("transition:programme_gantt", args=[programme.pk])
    processes = add_processes(programme, 1)
    baseline = baseline_of(programme)
    small = get(client, f"{url}?baseline={baseline.pk}", django_assert_num_queries, 11)
    assert small.content.decode().count("<title>Baseline: ") == 2

    add_processes(programme, PAGE + 3)
    baseline = baseline_of(programme)
    large = get(client, f"{url}?baseline={baseline.pk}", django_assert_num_queries, 11)
    assert large.content.decode().count("<title>Baseline: ") == 2 * PAGE
    assert processes[0].pk  # the first page starts with the first processes by name


def baseline_of(programme) -> Baseline:
    """A baseline of the programme holding every milestone as it stands."""
    baseline = Baseline.objects.create(programme=programme, name=f"B{Baseline.objects.count()}")
    BaselineMilestone.objects.bulk_create(
        BaselineMilestone(
            baseline=baseline,
            milestone=m,
            process=m.process,
            process_name=m.process.name,
            title=m.title,
            kind=m.kind,
            start_date=m.start_date,
            due_date=m.due_date,
        )
        for m in Milestone.objects.filter(process__programme=programme).select_related("process")
    )
    return baseline


def test_the_gantt_of_one_process_shows_that_process_only(
    client, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    processes = add_processes(programme, 30)
    chosen = processes[7]
    response = get(
        client,
        reverse("transition:programme_gantt", args=[programme.pk]) + f"?process={chosen.pk}",
        django_assert_num_queries,
        GANTT_QUERIES,
    )
    assert gantt_groups(response) == [str(chosen.pk)]
    [group] = response.context["timeline"].groups
    assert {row.key for row in group.rows} == {m.pk for m in chosen.milestones.all()}
    # The second milestone waits for the first: the table says so.
    assert any(row.depends_on for row in group.rows)
    assert response.context["page_obj"] is None


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "²", "0"])
def test_the_gantt_says_so_when_the_process_asked_for_is_not_in_the_programme(
    client, viewer, value
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    add_processes(programme, 2)
    elsewhere = add_processes(ProgrammeFactory(), 1)[0]
    url = reverse("transition:programme_gantt", args=[programme.pk])
    for asked in (value, str(elsewhere.pk)):
        response = client.get(url, {"process": asked})
        assert response.status_code == 200
        assert "This programme has no process" in response.content.decode()
        assert len(gantt_groups(response)) == 2


def test_the_gantt_escapes_process_names(client, viewer):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    add_processes(programme, 1, name="<img src=x onerror=alert(1)>")
    response = client.get(reverse("transition:programme_gantt", args=[programme.pk]))
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# Programme page


def test_the_programme_page_shows_its_first_processes_and_links_to_all(
    client, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    programme = ProgrammeFactory()
    url = reverse("transition:programme_detail", args=[programme.pk])
    add_processes(programme, 1)
    # 8, plus the schedule of the processes shown (issue 14): milestones, assets, staff
    # and the programme's change freezes; the RAID heat map.
    small = get(client, url, django_assert_num_queries, 13)
    assert len(small.context["processes"]) == 1

    add_processes(programme, PAGE + 5)
    large = get(client, url, django_assert_num_queries, 13)
    html = large.content.decode()
    assert len(large.context["processes"]) == PAGE
    assert html.count('class="fw-semibold" href="/processes/') == PAGE
    assert f"The first {PAGE} of {PAGE + 6} by name" in html
    assert f'href="{reverse("transition:process_list")}?programme={programme.pk}"' in html
    # The state cards count every process, not only those shown.
    assert sum(count for _state, _label, count in large.context["states"]) == PAGE + 6


# Search-as-you-type filters


def test_the_process_list_contract_filter_lists_only_the_chosen_contract(
    client, operations_manager, django_assert_num_queries
):
    client.force_login(operations_manager)
    provider = ServiceProviderFactory(name="Meridian & <Sons>")
    contracts = [ContractFactory(provider=provider) for _ in range(30)]
    programme = ProgrammeFactory()
    add_processes(programme, 1, contract=contracts[0])
    add_processes(programme, 1, contract=contracts[1])
    url = reverse("transition:process_list")

    unfiltered = get(client, url, django_assert_num_queries, 11)  # + the RAG's milestones
    select = re.search(r'<select name="contract".*?</select>', unfiltered.content.decode(), re.S)
    assert select is not None
    assert select.group(0).count("<option") == 1  # "Any contract" only
    assert f'data-suggest="{reverse("contracts:contract_suggest")}"' in select.group(0)

    # The id in the query string still filters; the chosen contract is labelled (one query
    # to validate it, one to label it).
    filtered = get(client, f"{url}?contract={contracts[1].pk}", django_assert_num_queries, 13)
    html = filtered.content.decode()
    select = re.search(r'<select name="contract".*?</select>', html, re.S)
    assert select is not None
    assert select.group(0).count("<option") == 2
    assert f'<option value="{contracts[1].pk}" selected>' in select.group(0)
    assert "(Meridian &amp; &lt;Sons&gt;)" in select.group(0)
    assert [p.contract_id for p in filtered.context["object_list"]] == [contracts[1].pk]


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "123456"])
def test_the_process_list_refuses_a_contract_that_is_not_one_without_failing(
    client, operations_manager, value
):
    client.force_login(operations_manager)
    add_processes(ProgrammeFactory(), 1)
    response = client.get(reverse("transition:process_list"), {"contract": value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_milestone_list_process_filter_searches_as_you_type(
    client, operations_manager, django_assert_num_queries
):
    client.force_login(operations_manager)
    processes = add_processes(ProgrammeFactory(name="Northwind"), 30)
    url = reverse("transition:milestone_list")
    # + the new-owner choices of the bulk action an operations manager is offered
    # (docs/bulk-actions.md).
    page = get(client, url, django_assert_num_queries, 10)
    select = re.search(r'<select name="process".*?</select>', page.content.decode(), re.S)
    assert select is not None
    assert select.group(0).count("<option") == 1
    chosen = processes[3]
    filtered = get(client, f"{url}?process={chosen.pk}", django_assert_num_queries, 12)
    assert f"Northwind – {chosen.name}" in filtered.content.decode()
    assert {m.process_id for m in filtered.context["object_list"]} == {chosen.pk}


def test_process_suggestions_match_name_programme_or_contract_and_stop_at_twenty(
    client, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    add_processes(ProgrammeFactory(name="Alpha"), 25)
    url = reverse("transition:process_suggest")
    with django_assert_num_queries(3):
        results = client.get(url, {"q": "alpha"}).json()["results"]
    assert len(results) == 20
    assert all(r["label"].startswith("Alpha – ") for r in results)
    assert client.get(url, {"q": "no such thing"}).json() == {"results": []}


def test_process_suggestions_carry_user_text_as_json_data(client, viewer):
    client.force_login(viewer)
    process = add_processes(ProgrammeFactory(name="P"), 1, name='<script>"x"</script>')[0]
    url = reverse("transition:process_suggest")
    response = client.get(url, {"q": "<script>"})
    assert response["Content-Type"] == "application/json"
    assert b"<script>" not in response.content  # escaped by the JSON encoder
    assert response.json()["results"] == [{"id": process.pk, "label": 'P – <script>"x"</script>'}]
    assert client.get(url, {"id": process.pk}).json()["results"][0]["id"] == process.pk
    for bad in ("x", "99999999999999999999", "\x00"):
        assert client.get(url, {"id": bad}).json() == {"results": []}
    assert client.get(url, {"q": "\x00<script>"}).status_code == 200


def test_process_suggestions_need_a_login(client):
    assert client.get(reverse("transition:process_suggest"), {"q": "a"}).status_code == 403


# Milestone list


def test_the_milestone_list_counts_dependencies_per_row_without_a_table_wide_aggregate(
    client, operations_manager, django_assert_num_queries
):
    client.force_login(operations_manager)
    programme = ProgrammeFactory()
    add_processes(programme, 1)
    url = reverse("transition:milestone_list")
    get(client, url, django_assert_num_queries, 10)

    process = add_processes(programme, 40)[0]
    a, b = process.milestones.order_by("pk")
    waiting = MilestoneFactory(process=process, title="Waits for two", due_date=date(2026, 12, 1))
    waiting.depends_on.add(a, b)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": "Waits for two"})
    assert "waits for 2" in response.content.decode()
    assert not any("COUNT(DISTINCT" in q["sql"].upper() for q in captured.captured_queries)

    large = get(client, url, django_assert_num_queries, 10)
    assert len(large.context["object_list"]) == PAGE
    assert large.content.decode().count("waits for 1") <= PAGE
