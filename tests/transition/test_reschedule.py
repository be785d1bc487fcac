"""Moving a milestone with its successors: preview, all-or-nothing apply, undo, who may."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from transition.models import ChangeFreeze, Milestone
from transition.services import reschedule
from transition.services.plan import milestone_save
from transition.services.reschedule import (
    milestone_reschedule,
    milestone_reschedule_preview,
    milestone_reschedule_undo,
    moves_from,
    undo_record,
)
from transition.views.reschedule import undo_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

# Today is 24 Nov 2026 (tests.clock). Design feeds Build (begins the day Design is due),
# Training (ten days later) and a done Review; Build and Training feed the Go-live.
DESIGN = (date(2026, 12, 1), date(2026, 12, 10))
BUILD = (date(2026, 12, 10), date(2027, 1, 20))
TRAINING = (date(2026, 12, 20), date(2027, 1, 10))
GO_LIVE = (None, date(2027, 1, 20))


@pytest.fixture
def plan(project_lead, operations_manager):
    process = OutsourcedProcessFactory(lead=project_lead, owner=operations_manager)

    def milestone(title, dates, kind=Milestone.Kind.PLANNING, after=(), **fields):
        row = MilestoneFactory(
            process=process,
            title=title,
            kind=kind,
            start_date=dates[0],
            due_date=dates[1],
            **fields,
        )
        row.depends_on.set(after)
        return row

    design = milestone("Design", DESIGN)
    build = milestone("Build", BUILD, after=[design])
    training = milestone("Training", TRAINING, after=[design])
    go_live = milestone(
        "Switch over", GO_LIVE, kind=Milestone.Kind.GO_LIVE, after=[build, training]
    )
    review = milestone(
        "Review",
        (None, date(2026, 12, 10)),
        after=[design],
        status=Milestone.Status.DONE,
        completed_on=date(2026, 11, 20),
    )
    return {
        "process": process,
        "design": design,
        "build": build,
        "training": training,
        "go_live": go_live,
        "review": review,
    }


def dates_of(plan) -> dict[str, tuple]:
    return {
        name: tuple(Milestone.objects.filter(pk=row.pk).values_list("start_date", "due_date")[0])
        for name, row in plan.items()
        if name != "process"
    }


def freeze(process, starts_on, ends_on, name="Year-end close"):
    return ChangeFreeze.objects.create(
        programme=process.programme, name=name, starts_on=starts_on, ends_on=ends_on
    )


# The service


def test_the_preview_moves_the_tight_successors_by_the_slip_and_leaves_those_with_slack(
    plan, project_lead
):
    before = dates_of(plan)

    preview = milestone_reschedule_preview(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
    )

    moves = {move.title: (move.new_start, move.new_due, move.days) for move in preview.moves}
    assert moves == {
        "Design": (date(2026, 12, 6), date(2026, 12, 15), 5),
        "Build": (date(2026, 12, 15), date(2027, 1, 25), 5),
        "Switch over": (None, date(2027, 1, 25), 5),
    }
    assert preview.moves[0].title == "Design"  # the milestone first, then its successors
    stays = {stay.title: (stay.done, stay.slack_days) for stay in preview.stays}
    assert stays == {"Training": (False, 5), "Review": (True, None)}
    assert preview.refused == ()
    assert dates_of(plan) == before  # a preview writes nothing


def test_without_successors_only_the_milestone_moves_and_the_clash_is_flagged(plan, project_lead):
    preview = milestone_reschedule_preview(
        actor=project_lead,
        milestone=plan["design"],
        new_due=date(2026, 12, 15),
        with_successors=False,
    )

    assert [move.title for move in preview.moves] == ["Design"]
    assert {stay.title: stay.slack_days for stay in preview.stays}["Build"] == -5
    flagged = [(f.code, f.key) for f in preview.findings]
    assert ("successor_before_predecessor", plan["build"].pk) in flagged


def test_moving_earlier_moves_only_that_milestone(plan, project_lead):
    preview = milestone_reschedule_preview(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 8)
    )

    assert [(m.title, m.new_start, m.new_due) for m in preview.moves] == [
        ("Design", date(2026, 11, 29), date(2026, 12, 8))
    ]


def test_applying_moves_every_milestone_of_the_preview(plan, project_lead):
    preview = milestone_reschedule_preview(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
    )

    result = milestone_reschedule(
        actor=project_lead,
        milestone=plan["design"],
        new_due=date(2026, 12, 15),
        expected=preview.signature,
    )

    assert result.signature == preview.signature
    after = dates_of(plan)
    assert after["design"] == (date(2026, 12, 6), date(2026, 12, 15))
    assert after["build"] == (date(2026, 12, 15), date(2027, 1, 25))
    assert after["go_live"] == (None, date(2027, 1, 25))
    assert after["training"] == TRAINING
    assert after["review"] == (None, date(2026, 12, 10))


def test_when_one_move_fails_nothing_is_written(plan, project_lead, monkeypatch):
    before = dates_of(plan)
    calls = []

    def failing_second(**kwargs):
        calls.append(kwargs["milestone"].title)
        if len(calls) == 2:
            raise ValidationError({"due_date": "Refused for the test."})
        return milestone_save(**kwargs)

    monkeypatch.setattr(reschedule, "milestone_save", failing_second)

    with pytest.raises(ValidationError, match="Refused for the test"):
        milestone_reschedule(
            actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
        )

    assert calls == ["Design", "Build"]
    assert dates_of(plan) == before  # Design's move was rolled back with the rest


def test_a_go_live_pushed_into_a_change_freeze_refuses_the_whole_move(plan, project_lead):
    freeze(plan["process"], date(2027, 1, 22), date(2027, 1, 31))
    before = dates_of(plan)

    preview = milestone_reschedule_preview(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
    )
    assert [(f.code, f.key) for f in preview.refused] == [("inside_freeze", plan["go_live"].pk)]
    assert "25 Jan 2027" in preview.refused[0].message

    with pytest.raises(ValidationError) as caught:
        milestone_reschedule(
            actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
        )
    assert "Year-end close" in " ".join(caught.value.messages)
    assert dates_of(plan) == before


def test_a_confirmation_of_a_stale_preview_is_refused(plan, project_lead):
    preview = milestone_reschedule_preview(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
    )
    # Training is edited after the preview: it now begins the day Design was due.
    milestone_save(actor=project_lead, milestone=plan["training"], start_date=date(2026, 12, 10))
    before = dates_of(plan)

    with pytest.raises(ValidationError, match="changed since the preview"):
        milestone_reschedule(
            actor=project_lead,
            milestone=plan["design"],
            new_due=date(2026, 12, 15),
            expected=preview.signature,
        )
    assert dates_of(plan) == before


def test_a_done_milestone_keeps_its_dates(plan, project_lead):
    with pytest.raises(ValidationError) as caught:
        milestone_reschedule_preview(
            actor=project_lead, milestone=plan["review"], new_due=date(2026, 12, 20)
        )
    assert caught.value.message_dict["due_date"] == [
        "“Review” is done (completed 20 Nov 2026): a done milestone keeps its dates."
    ]


@pytest.mark.parametrize("role", ["viewer", "other_lead"])
def test_only_who_may_edit_the_plan_may_move_it(plan, request, role):
    user = request.getfixturevalue(role)
    before = dates_of(plan)
    with pytest.raises(PermissionDenied):
        milestone_reschedule_preview(
            actor=user, milestone=plan["design"], new_due=date(2026, 12, 15)
        )
    with pytest.raises(PermissionDenied):
        milestone_reschedule(actor=user, milestone=plan["design"], new_due=date(2026, 12, 15))
    assert dates_of(plan) == before


def test_undo_restores_the_dates_and_skips_a_milestone_edited_since(plan, project_lead):
    result = milestone_reschedule(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
    )
    record = undo_record(result)
    build = Milestone.objects.get(pk=plan["build"].pk)
    milestone_save(actor=project_lead, milestone=build, due_date=date(2027, 2, 1))

    undone = milestone_reschedule_undo(
        actor=project_lead, process=plan["process"], moves=moves_from(record)
    )

    assert [move.title for move in undone.restored] == ["Design", "Switch over"]
    assert undone.skipped == ("“Build” changed since the move: it is now due 1 Feb 2027.",)
    after = dates_of(plan)
    assert after["design"] == DESIGN
    assert after["go_live"] == GO_LIVE
    assert after["build"] == (date(2026, 12, 15), date(2027, 2, 1))


def test_undo_puts_back_nothing_when_one_restore_is_refused(plan, project_lead):
    result = milestone_reschedule(
        actor=project_lead, milestone=plan["design"], new_due=date(2026, 12, 15)
    )
    freeze(plan["process"], date(2027, 1, 18), date(2027, 1, 21))  # around the old go-live
    moved = dates_of(plan)

    with pytest.raises(ValidationError, match="Year-end close"):
        milestone_reschedule_undo(
            actor=project_lead, process=plan["process"], moves=moves_from(undo_record(result))
        )
    assert dates_of(plan) == moved


def test_the_undo_record_survives_the_session_and_ignores_garbage():
    record = [
        [7, "Design", "2026-12-06", "2026-12-15", "", "2026-12-20"],
        ["x"],
        [8, "Bad", "", "not a date", "", "2026-12-20"],
    ]

    (move,) = moves_from(record)
    assert (move.key, move.old_start, move.new_start, move.days) == (
        7,
        date(2026, 12, 6),
        None,
        5,
    )


# The pages


def design_move_signature(plan) -> str:
    """The signature of moving Design to 15 Dec, as the preview gives it."""
    design, build, go_live = (plan[name].pk for name in ("design", "build", "go_live"))
    return f"{design}:2026-12-06:2026-12-15;{build}:2026-12-15:2027-01-25;{go_live}::2027-01-25"


def url(plan, name="milestone_reschedule", milestone="design"):
    return reverse(f"transition:{name}", args=[plan[milestone].pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [("operations_manager", 200), ("project_lead", 200), ("viewer", 403), ("other_lead", 403)],
)
def test_the_page_is_for_who_may_edit_the_plan(client, request, plan, role, status):
    client.force_login(request.getfixturevalue(role))
    before = dates_of(plan)
    data = {"due_date": "2026-12-15", "move_successors": "on"}

    assert client.get(url(plan)).status_code == status
    assert client.post(url(plan), data).status_code == status
    confirmed = client.post(
        url(plan), {**data, "expected": design_move_signature(plan), "confirm": "1"}
    )
    undone = client.post(url(plan, "milestone_reschedule_undo"))

    if status == 403:
        assert (confirmed.status_code, undone.status_code) == (403, 403)
        assert dates_of(plan) == before
    else:
        assert (confirmed.status_code, undone.status_code) == (302, 302)
        assert dates_of(plan) == before  # moved, then undone


def test_the_milestone_page_offers_the_move_to_who_may_edit(client, plan, project_lead, viewer):
    target = url(plan)
    client.force_login(project_lead)
    assert target in client.get(plan["design"].get_absolute_url()).content.decode()
    client.force_login(viewer)
    assert target not in client.get(plan["design"].get_absolute_url()).content.decode()


def test_the_form_starts_at_the_current_due_date_with_successors_ticked(client, plan, project_lead):
    client.force_login(project_lead)

    form = client.get(url(plan)).context["form"]

    assert form["due_date"].value() == date(2026, 12, 10)
    assert form["move_successors"].value() is True


def test_posting_a_date_shows_the_preview_and_writes_nothing(client, plan, project_lead):
    client.force_login(project_lead)
    before = dates_of(plan)

    response = client.post(url(plan), {"due_date": "2026-12-15", "move_successors": "on"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="reschedule-moves"' in page
    assert "15 Dec 2026 → 25 Jan 2027" in page  # Build, moved
    assert "“Training” (20 Dec 2026 → 10 Jan 2027): 5 days to spare" in page
    assert 'name="confirm"' in page
    assert response.context["preview"].signature in page
    assert dates_of(plan) == before


def test_confirming_moves_them_and_offers_undo(client, plan, project_lead):
    client.force_login(project_lead)
    preview = client.post(url(plan), {"due_date": "2026-12-15", "move_successors": "on"})

    response = client.post(
        url(plan),
        {
            "due_date": "2026-12-15",
            "move_successors": "on",
            "expected": preview.context["preview"].signature,
            "confirm": "1",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Moved 3 milestones: “Design” is now due 15 Dec 2026 (was 10 Dec 2026)" in page
    assert 'data-testid="reschedule-undo"' in page
    assert dates_of(plan)["build"] == (date(2026, 12, 15), date(2027, 1, 25))
    record = client.session[undo_key(plan["process"].pk)]
    assert [row[0] for row in record["moves"]] == [
        plan["design"].pk,
        plan["build"].pk,
        plan["go_live"].pk,
    ]

    undone = client.post(url(plan, "milestone_reschedule_undo"), follow=True)

    page = undone.content.decode()
    assert "Put back 3 milestones: “Design” due 10 Dec 2026" in page
    assert dates_of(plan)["build"] == BUILD
    assert undo_key(plan["process"].pk) not in client.session
    assert 'data-testid="reschedule-undo"' not in page


def test_undo_names_the_milestones_it_left(client, plan, project_lead):
    client.force_login(project_lead)
    preview = client.post(url(plan), {"due_date": "2026-12-15", "move_successors": "on"})
    client.post(
        url(plan),
        {
            "due_date": "2026-12-15",
            "move_successors": "on",
            "expected": preview.context["preview"].signature,
            "confirm": "1",
        },
    )
    go_live = Milestone.objects.get(pk=plan["go_live"].pk)
    milestone_save(actor=project_lead, milestone=go_live, due_date=date(2027, 1, 28))

    page = client.post(url(plan, "milestone_reschedule_undo"), follow=True).content.decode()

    assert "Put back 2 milestones" in page
    assert "Left as it is: “Switch over” changed since the move: it is now due 28 Jan 2027." in page
    assert dates_of(plan)["go_live"] == (None, date(2027, 1, 28))
    assert dates_of(plan)["design"] == DESIGN


def test_undo_without_a_move_says_so(client, plan, project_lead):
    client.force_login(project_lead)

    page = client.post(url(plan, "milestone_reschedule_undo"), follow=True).content.decode()

    assert "There is no move to undo." in page


def test_a_stale_confirmation_shows_the_new_preview(client, plan, project_lead):
    client.force_login(project_lead)
    before = dates_of(plan)

    response = client.post(
        url(plan),
        {"due_date": "2026-12-15", "move_successors": "on", "expected": "1:x", "confirm": "1"},
    )

    assert response.status_code == 400
    assert "The plan changed since the preview" in response.content.decode()
    assert response.context["preview"] is not None
    assert dates_of(plan) == before


def test_a_move_into_a_freeze_is_refused_on_the_page(client, plan, project_lead):
    freeze(plan["process"], date(2027, 1, 22), date(2027, 1, 31))
    client.force_login(project_lead)
    before = dates_of(plan)

    preview = client.post(url(plan), {"due_date": "2026-12-15", "move_successors": "on"})
    confirmed = client.post(
        url(plan), {"due_date": "2026-12-15", "move_successors": "on", "confirm": "1"}
    )

    page = preview.content.decode()
    assert 'data-testid="reschedule-refused"' in page
    assert "25 Jan 2027" in page
    assert "Year-end close" in page
    assert 'name="confirm"' not in page
    assert confirmed.status_code == 400
    assert dates_of(plan) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"due_date": "31/02/2027"}, "Enter a valid date."),
        ({"due_date": "9999-12-31"}, "Enter a due date between 1 Jan 1900 and 31 Dec 2199."),
    ],
)
def test_a_bad_date_is_named_on_the_form(client, plan, project_lead, data, message):
    client.force_login(project_lead)
    before = dates_of(plan)

    response = client.post(url(plan), {**data, "confirm": "1"})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert dates_of(plan) == before


def test_a_done_milestone_is_refused_with_a_message(client, plan, project_lead):
    client.force_login(project_lead)

    shown = client.get(url(plan, milestone="review"))
    posted = client.post(url(plan, milestone="review"), {"due_date": "2026-12-20", "confirm": "1"})

    assert "a done milestone keeps its dates" in shown.content.decode()
    assert posted.status_code == 400
    assert "a done milestone keeps its dates" in posted.content.decode()


def test_an_unknown_milestone_is_not_found(client, project_lead):
    client.force_login(project_lead)

    response = client.get(reverse("transition:milestone_reschedule", args=[987654]))

    assert response.status_code == 404


def test_leaving_successors_in_place_shows_what_the_plan_would_be_flagged_for(
    client, plan, project_lead
):
    client.force_login(project_lead)

    response = client.post(url(plan), {"due_date": "2026-12-15"})  # box unticked

    page = response.content.decode()
    assert [move.title for move in response.context["preview"].moves] == ["Design"]
    assert "What the plan would be flagged for" in page
    assert "15 Dec 2026" in page
    assert "left in place, beginning before its predecessor is due" in page
    assert 'name="move_successors"' in page  # the form keeps it unticked...
    assert '<input type="hidden" name="move_successors"' not in page  # ...and so does confirm


def test_the_undo_offer_belongs_to_the_process_it_moved(client, plan, project_lead):
    client.force_login(project_lead)
    client.post(
        url(plan),
        {
            "due_date": "2026-12-15",
            "move_successors": "on",
            "expected": design_move_signature(plan),
            "confirm": "1",
        },
    )
    elsewhere = MilestoneFactory(
        process=OutsourcedProcessFactory(lead=project_lead), title="Elsewhere"
    )

    same_process = client.get(url(plan, milestone="training")).content.decode()
    other_process = client.get(
        reverse("transition:milestone_reschedule", args=[elsewhere.pk])
    ).content.decode()

    assert 'data-testid="reschedule-undo"' in same_process
    assert 'data-testid="reschedule-undo"' not in other_process
