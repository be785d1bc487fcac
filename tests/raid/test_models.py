"""RAID items: the rules of each kind, ratings 1–5, scores, history, and the querysets."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from raid.models import HIGH_RISK_SCORE, RaidItem
from raid.services import raid_item_delete, raid_item_save
from tests.clock import TODAY
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import OutsourcedProcessFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"), [("probability", 0), ("probability", 6), ("impact", 0), ("impact", 6)]
)
def test_a_rating_out_of_range_is_refused_naming_the_field_and_nothing_is_written(
    operations_manager, field, value
):
    process = OutsourcedProcessFactory()
    ratings = {"probability": 3, "impact": 3, field: value}

    with pytest.raises(ValidationError) as refused:
        raid_item_save(
            actor=operations_manager,
            process=process,
            kind="risk",
            title="Supplier exits",
            **ratings,
        )

    messages = refused.value.message_dict[field]
    assert messages == [f"{field.capitalize()} is rated from 1 to 5; {value} is out of range."]
    assert not RaidItem.objects.exists()
    assert not RaidItem.history.exists()


def test_the_form_refuses_a_probability_of_six_next_to_the_field(client, operations_manager):
    process = OutsourcedProcessFactory()
    client.force_login(operations_manager)

    response = client.post(
        reverse("raid:item_create") + f"?process={process.pk}",
        {
            "process": process.pk,
            "kind": "risk",
            "title": "Key staff leave",
            "status": "open",
            "probability": 6,
            "impact": 2,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["probability"] == [
        "Probability is rated from 1 to 5; 6 is out of range."
    ]
    assert not RaidItem.objects.exists()


def test_the_database_refuses_a_rating_out_of_range_too():
    item = RaidItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RaidItem.objects.filter(pk=item.pk).update(probability=6)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "risk", "impact": 2}, "probability", "Rate the risk's probability from 1 to 5."),
        (
            {"kind": "issue", "severity": "high", "probability": 2},
            "probability",
            "Only risks have a probability.",
        ),
        ({"kind": "issue"}, "severity", "Give the issue's severity."),
        ({"kind": "assumption", "severity": "low"}, "severity", "Only issues have a severity."),
        (
            {"kind": "decision", "status": "closed"},
            "decision_date",
            "Give the date a closed (made) decision was made.",
        ),
        (
            {"kind": "risk", "probability": 1, "impact": 1, "decision_date": date(2026, 1, 5)},
            "decision_date",
            "Only decisions have a decision date.",
        ),
    ],
)
def test_each_kind_has_its_own_fields(operations_manager, fields, field, message):
    process = OutsourcedProcessFactory()
    with pytest.raises(ValidationError) as refused:
        raid_item_save(actor=operations_manager, process=process, title="T", **fields)
    assert message in refused.value.message_dict[field]
    assert not RaidItem.objects.exists()


def test_an_item_belongs_to_a_process_or_a_programme_never_both_nor_neither(operations_manager):
    process = OutsourcedProcessFactory()
    base = {"kind": "assumption", "title": "Licences transfer"}
    with pytest.raises(ValidationError) as both:
        raid_item_save(
            actor=operations_manager, process=process, programme=process.programme, **base
        )
    assert "programme" in both.value.message_dict
    with pytest.raises(ValidationError) as neither:
        raid_item_save(actor=operations_manager, **base)
    assert "process" in neither.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        RaidItem.objects.create(process=process, programme=process.programme, **base)


def test_score_is_probability_times_impact_and_high_from_15():
    process = OutsourcedProcessFactory()
    RaidItemFactory(process=process, probability=3, impact=5)  # 15: high
    RaidItemFactory(process=process, probability=2, impact=7 - 2)  # 10
    RaidItemFactory(process=process, probability=5, impact=5, status="closed")

    scores = sorted(RaidItem.objects.with_score().values_list("score", flat=True))
    assert scores == [10, 15, 25]
    assert HIGH_RISK_SCORE == 15
    assert [i.rating for i in RaidItem.objects.open().high()] == [15]


def test_overdue_means_open_and_due_before_today():
    RaidItemFactory(title="late", due_date=date(2026, 11, 23))
    RaidItemFactory(title="today", due_date=TODAY)
    RaidItemFactory(title="closed late", due_date=date(2026, 11, 1), status="closed")
    RaidItemFactory(title="no date", due_date=None)
    RaidItemFactory(
        title="issue late",
        kind="issue",
        probability=None,
        impact=None,
        severity="high",
        due_date=date(2026, 10, 1),
        status="in_progress",
    )

    assert set(RaidItem.objects.overdue(TODAY).values_list("title", flat=True)) == {
        "late",
        "issue late",
    }


def test_every_change_is_kept_in_the_history_with_who_made_it(operations_manager):
    process = OutsourcedProcessFactory()
    item = raid_item_save(
        actor=operations_manager,
        process=process,
        kind="risk",
        title="Data loss",
        probability=2,
        impact=4,
    )
    raid_item_save(actor=operations_manager, item=item, probability=4, status="in_progress")
    pk = item.pk
    raid_item_delete(actor=operations_manager, item=item)

    versions = list(RaidItem.history.filter(id=pk).order_by("history_date", "history_id"))
    assert [v.history_type for v in versions] == ["+", "~", "-"]
    assert [v.probability for v in versions] == [2, 4, 4]
    assert {v.history_user for v in versions} == {operations_manager}


def test_a_programme_item_counts_for_its_programme_with_its_processes_items():
    programme = ProgrammeFactory()
    own = RaidItemFactory(process=None, programme=programme)
    of_process = RaidItemFactory(process=OutsourcedProcessFactory(programme=programme))
    RaidItemFactory()  # another programme's

    assert set(RaidItem.objects.of_programme(programme)) == {own, of_process}
