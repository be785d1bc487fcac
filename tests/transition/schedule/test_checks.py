"""The schedule checks: each finding fires one day past its boundary and not on it."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from transition.schedule.checks import (
    EARLY_HANDOVER_DAYS,
    KIND_LABELS,
    milestone_findings,
    plan_findings,
)
from transition.schedule.model import Freeze, Plan, PlanAsset, PlanMilestone, PlanStaff

TODAY = date(2026, 11, 24)
EXIT = date(2027, 3, 16)
DAY = timedelta(days=1)


def ms(key=1, title="Switch over", kind="other", due=EXIT, **fields) -> PlanMilestone:
    return PlanMilestone(key=key, title=title, kind=kind, due=due, **fields)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def only(findings, code):
    (finding,) = [f for f in findings if f.code == code]
    return finding


# Finish-to-start ----------------------------------------------------------------------------


def order_plan(successor_begins: date, **successor) -> Plan:
    design = ms(1, "Design", "planning", due=date(2027, 1, 10), start=date(2027, 1, 4))
    build = ms(2, "Build", "systems_data", due=date(2027, 2, 1), start=successor_begins)
    return Plan(milestones=(design, replace(build, depends_on=(1,), **successor)))


@pytest.mark.parametrize(
    ("begins", "fires"),
    [(date(2027, 1, 9), True), (date(2027, 1, 10), False), (date(2027, 1, 11), False)],
)
def test_a_successor_may_begin_on_the_day_its_predecessor_is_due_but_not_before(begins, fires):
    findings = plan_findings(order_plan(begins), TODAY)

    assert ("successor_before_predecessor" in codes(findings)) is fires


def test_a_successor_beginning_early_is_a_warning_naming_both_milestones_and_dates():
    finding = only(
        plan_findings(order_plan(date(2027, 1, 9)), TODAY), "successor_before_predecessor"
    )

    assert finding.severity == "warning"
    assert not finding.blocking
    assert (finding.subject, finding.key) == ("milestone", 2)
    assert finding.message == (
        "Systems & data “Build” begins 9 Jan 2027, before Planning “Design” is due "
        "10 Jan 2027; it depends on it."
    )


def test_a_successor_without_a_start_date_begins_on_its_due_date():
    plan = order_plan(None, due=date(2027, 1, 9))

    assert codes(plan_findings(plan, TODAY)) == ["successor_before_predecessor"]
    assert "successor_before_predecessor" not in codes(
        plan_findings(order_plan(None, due=date(2027, 1, 10)), TODAY)
    )


def test_a_done_successor_is_not_judged_on_its_order():
    plan = order_plan(date(2027, 1, 5), done=True, completed_on=date(2026, 11, 1))

    assert "successor_before_predecessor" not in codes(plan_findings(plan, TODAY))


def test_a_done_predecessor_is_judged_by_the_day_it_was_completed():
    plan = order_plan(date(2026, 11, 5))
    design = replace(plan.milestones[0], start=None, done=True, completed_on=date(2026, 11, 4))
    early_enough = replace(plan, milestones=(design, plan.milestones[1]))
    late = replace(design, completed_on=date(2026, 11, 6))

    assert codes(plan_findings(early_enough, TODAY)) == []
    finding = only(
        plan_findings(replace(plan, milestones=(late, plan.milestones[1])), TODAY),
        "successor_before_predecessor",
    )
    assert "before Planning “Design” was completed on 6 Nov 2026" in finding.message


# The provider's dates ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["go_live", "cut_over"])
@pytest.mark.parametrize(("due", "fires"), [(EXIT - DAY, False), (EXIT, False), (EXIT + DAY, True)])
def test_a_handover_due_after_the_exit_date_is_an_error_saved_and_flagged(kind, due, fires):
    plan = Plan(milestones=(ms(kind=kind, due=due),), exit_date=EXIT)

    assert ("handover_after_exit" in codes(plan_findings(plan, TODAY))) is fires


def test_the_handover_message_names_the_milestone_and_both_dates():
    plan = Plan(milestones=(ms(kind="go_live", due=date(2027, 3, 20)),), exit_date=EXIT)

    finding = only(plan_findings(plan, TODAY), "handover_after_exit")

    assert finding.message == (
        "Go-live “Switch over” is due 20 Mar 2027, after the provider's exit date 16 Mar 2027."
    )
    assert (finding.severity, finding.blocking, finding.key) == ("error", False, 1)


@pytest.mark.parametrize(
    "milestone",
    [
        ms(kind="parallel_run", due=EXIT + DAY),
        ms(kind="go_live", due=EXIT + DAY, done=True, completed_on=TODAY),
    ],
    ids=["not a handover", "done"],
)
def test_other_kinds_and_done_handovers_may_fall_after_the_exit_date(milestone):
    plan = Plan(milestones=(milestone,), exit_date=EXIT)

    assert "handover_after_exit" not in codes(plan_findings(plan, TODAY))


def test_without_an_exit_date_nothing_is_judged_against_it():
    plan = Plan(
        milestones=(ms(kind="go_live", due=EXIT + DAY),),
        assets=(PlanAsset(1, "Servers", EXIT + DAY, open=True),),
        in_house_on=EXIT - DAY,
    )

    assert plan_findings(plan, TODAY) == []


ASSISTANCE_END = date(2027, 6, 30)


@pytest.mark.parametrize(
    ("due", "fires"),
    [(ASSISTANCE_END - DAY, False), (ASSISTANCE_END, False), (ASSISTANCE_END + DAY, True)],
)
def test_any_open_milestone_due_after_the_assistance_ends_is_an_error(due, fires):
    plan = Plan(
        milestones=(ms(kind="knowledge_transfer", title="Runbooks", due=due),),
        assistance_end=ASSISTANCE_END,
    )

    findings = plan_findings(plan, TODAY)

    assert ("after_assistance_end" in codes(findings)) is fires
    if fires:
        finding = only(findings, "after_assistance_end")
        assert (finding.severity, finding.blocking) == ("error", False)
        assert finding.message == (
            "Knowledge transfer “Runbooks” is due 1 Jul 2027, after the provider's termination "
            "assistance ends 30 Jun 2027."
        )


def test_a_done_milestone_after_the_assistance_ends_is_not_flagged():
    milestone = ms(due=ASSISTANCE_END + DAY, done=True, completed_on=TODAY)

    assert plan_findings(Plan(milestones=(milestone,), assistance_end=ASSISTANCE_END), TODAY) == []


# The programme's dates ----------------------------------------------------------------------

PROGRAMME_START = date(2026, 10, 1)
PROGRAMME_TARGET = date(2027, 4, 30)


@pytest.mark.parametrize(
    ("start", "fires"),
    [(PROGRAMME_START - DAY, True), (PROGRAMME_START, False), (PROGRAMME_START + DAY, False)],
)
def test_a_milestone_beginning_before_the_programme_starts_is_a_warning(start, fires):
    plan = Plan(
        milestones=(ms(start=start, due=date(2026, 12, 1)),), programme_start=PROGRAMME_START
    )

    findings = plan_findings(plan, TODAY)

    assert ("outside_programme" in codes(findings)) is fires
    if fires:
        finding = only(findings, "outside_programme")
        assert finding.severity == "warning"
        assert finding.message == (
            "Milestone “Switch over” begins 30 Sep 2026, before the programme starts 1 Oct 2026."
        )


@pytest.mark.parametrize(
    ("due", "fires"),
    [(PROGRAMME_TARGET - DAY, False), (PROGRAMME_TARGET, False), (PROGRAMME_TARGET + DAY, True)],
)
def test_a_milestone_due_after_the_programme_target_is_a_warning(due, fires):
    plan = Plan(milestones=(ms(due=due),), programme_target=PROGRAMME_TARGET)

    findings = plan_findings(plan, TODAY)

    assert ("outside_programme" in codes(findings)) is fires
    if fires:
        assert only(findings, "outside_programme").message == (
            "Milestone “Switch over” is due 1 May 2027, after the programme's target date "
            "30 Apr 2027."
        )


# Change freezes -----------------------------------------------------------------------------

FREEZE = Freeze(7, "Year-end close", date(2026, 12, 20), date(2027, 1, 5))


@pytest.mark.parametrize("kind", ["go_live", "cut_over"])
@pytest.mark.parametrize(
    ("due", "fires"),
    [
        (FREEZE.starts_on - DAY, False),
        (FREEZE.starts_on, True),
        (FREEZE.ends_on, True),
        (FREEZE.ends_on + DAY, False),
    ],
)
def test_a_handover_due_inside_a_freeze_is_refused(kind, due, fires):
    # The start lies inside the freeze too: only the due day counts for a handover.
    milestone = ms(kind=kind, due=due, start=FREEZE.starts_on - DAY * 3)
    plan = Plan(milestones=(milestone,), freezes=(FREEZE,))

    findings = milestone_findings(plan, milestone, TODAY)

    assert ("inside_freeze" in codes(findings)) is fires


@pytest.mark.parametrize(
    ("start", "due", "fires"),
    [
        (FREEZE.ends_on, FREEZE.ends_on + DAY * 10, True),
        (FREEZE.ends_on + DAY, FREEZE.ends_on + DAY * 10, False),
        (FREEZE.starts_on - DAY * 10, FREEZE.starts_on, True),
        (FREEZE.starts_on - DAY * 10, FREEZE.starts_on - DAY, False),
        (FREEZE.starts_on - DAY, FREEZE.ends_on + DAY, True),
    ],
)
def test_a_parallel_run_overlapping_a_freeze_by_any_day_is_refused(start, due, fires):
    milestone = ms(kind="parallel_run", title="Dual running", start=start, due=due)
    plan = Plan(milestones=(milestone,), freezes=(FREEZE,))

    assert ("inside_freeze" in codes(plan_findings(plan, TODAY))) is fires


def test_the_freeze_refusal_is_a_blocking_error_naming_the_freeze_and_its_dates():
    milestone = ms(kind="go_live", due=date(2026, 12, 24))
    plan = Plan(milestones=(milestone,), freezes=(FREEZE,))

    finding = only(milestone_findings(plan, milestone, TODAY), "inside_freeze")

    assert (finding.severity, finding.blocking) == ("error", True)
    assert finding.message == (
        "Go-live “Switch over” is due 24 Dec 2026, inside the change freeze “Year-end close” "
        "(20 Dec 2026 to 5 Jan 2027). Move it out of the freeze, or ask an operations manager "
        "to override it."
    )


def test_an_overridden_freeze_is_a_warning_that_still_names_the_freeze():
    milestone = ms(
        kind="parallel_run",
        title="Dual running",
        start=date(2026, 12, 1),
        due=date(2026, 12, 21),
        freeze_override=True,
    )
    plan = Plan(milestones=(milestone,), freezes=(FREEZE,))

    findings = milestone_findings(plan, milestone, TODAY)

    assert codes(findings) == ["freeze_overridden"]
    assert (findings[0].severity, findings[0].blocking) == ("warning", False)
    assert findings[0].message == (
        "Parallel run “Dual running” runs 1 Dec 2026 to 21 Dec 2026, inside the change freeze "
        "“Year-end close” (20 Dec 2026 to 5 Jan 2027); an operations manager allowed it."
    )


@pytest.mark.parametrize(
    "milestone",
    [
        ms(kind="planning", due=date(2026, 12, 24)),
        ms(kind="go_live", due=date(2026, 11, 20), done=True, completed_on=date(2026, 11, 20)),
    ],
    ids=["not a freeze kind", "done"],
)
def test_freezes_do_not_concern_other_kinds_or_done_milestones(milestone):
    freeze = Freeze(1, "Autumn", date(2026, 11, 1), date(2026, 12, 31))

    assert milestone_findings(Plan(freezes=(freeze,)), milestone, TODAY) == []


def test_each_freeze_a_parallel_run_overlaps_is_named():
    second = Freeze(8, "Audit", date(2027, 1, 20), date(2027, 1, 22))
    milestone = ms(kind="parallel_run", start=date(2026, 12, 1), due=date(2027, 2, 1))
    plan = Plan(freezes=(second, FREEZE))

    findings = milestone_findings(plan, milestone, TODAY)

    assert codes(findings) == ["inside_freeze", "inside_freeze"]
    assert "Year-end close" in findings[0].message
    assert "Audit" in findings[1].message


# Completion ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed", "fires"), [(TODAY - DAY, False), (TODAY, False), (TODAY + DAY, True)]
)
def test_a_completion_date_after_today_is_refused(completed, fires):
    milestone = ms(due=TODAY, done=True, completed_on=completed)

    findings = milestone_findings(Plan(), milestone, TODAY)

    assert ("completed_in_future" in codes(findings)) is fires
    if fires:
        finding = only(findings, "completed_in_future")
        assert (finding.severity, finding.blocking) == ("error", True)
        assert "25 Nov 2026" in finding.message
        assert "24 Nov 2026" in finding.message


@pytest.mark.parametrize(
    ("completed", "fires"),
    [(date(2026, 11, 9), True), (date(2026, 11, 10), False), (date(2026, 11, 11), False)],
)
def test_a_milestone_completed_before_its_start_date_is_a_warning(completed, fires):
    milestone = ms(
        start=date(2026, 11, 10), due=date(2026, 12, 1), done=True, completed_on=completed
    )

    findings = milestone_findings(Plan(), milestone, TODAY)

    assert ("completed_early" in codes(findings)) is fires
    if fires:
        assert only(findings, "completed_early").message == (
            "Milestone “Switch over” was completed on 9 Nov 2026, before its start date "
            "10 Nov 2026."
        )


@pytest.mark.parametrize(
    ("days_early", "fires"),
    [
        (EARLY_HANDOVER_DAYS - 1, False),
        (EARLY_HANDOVER_DAYS, False),
        (EARLY_HANDOVER_DAYS + 1, True),
    ],
)
def test_a_handover_without_a_start_done_over_a_month_early_is_a_warning(days_early, fires):
    milestone = ms(kind="go_live", due=TODAY + DAY * days_early, done=True, completed_on=TODAY)

    findings = milestone_findings(Plan(), milestone, TODAY)

    assert ("completed_early" in codes(findings)) is fires
    if fires:
        finding = only(findings, "completed_early")
        assert (finding.severity, finding.blocking) == ("warning", False)
        assert finding.message == (
            "Go-live “Switch over” was completed on 24 Nov 2026, 31 days before it is due "
            "25 Dec 2026. Check it was not marked done by mistake."
        )


def test_the_issues_go_live_due_in_march_marked_done_today_is_flagged():
    milestone = ms(kind="go_live", due=date(2027, 3, 15), done=True, completed_on=TODAY)

    assert codes(milestone_findings(Plan(exit_date=EXIT), milestone, TODAY)) == ["completed_early"]


def test_other_kinds_without_a_start_may_be_done_long_before_they_are_due():
    milestone = ms(kind="planning", due=TODAY + DAY * 90, done=True, completed_on=TODAY)

    assert milestone_findings(Plan(), milestone, TODAY) == []


@pytest.mark.parametrize(
    ("in_house", "reason", "fires"),
    [
        (EXIT - DAY, "", True),
        (EXIT - DAY, "  ", True),
        (EXIT - DAY, "The provider let us go early.", False),
        (EXIT, "", False),
        (EXIT + DAY, "", False),
    ],
)
def test_coming_in_house_before_the_exit_date_asks_for_a_reason(in_house, reason, fires):
    plan = Plan(exit_date=EXIT, in_house_on=in_house, early_completion_reason=reason)

    findings = plan_findings(plan, TODAY)

    assert ("completed_before_exit" in codes(findings)) is fires
    if fires:
        finding = only(findings, "completed_before_exit")
        assert (finding.severity, finding.subject, finding.key) == ("warning", "process", None)
        assert finding.message == (
            "The process came in-house on 15 Mar 2027, before the provider's exit date "
            "16 Mar 2027. Record why it completed early."
        )


# Staff and assets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned_start", "onboarded", "fires"),
    [
        (TODAY + DAY, True, True),
        (TODAY, True, False),
        (TODAY - DAY, True, False),
        (TODAY + DAY, False, False),
        (None, True, False),
    ],
)
def test_onboarding_someone_whose_start_is_still_ahead_is_refused(planned_start, onboarded, fires):
    plan = Plan(staff=(PlanStaff(3, "Ada Lovelace", planned_start, onboarded),))

    findings = plan_findings(plan, TODAY)

    assert ("onboarded_before_start" in codes(findings)) is fires
    if fires:
        finding = only(findings, "onboarded_before_start")
        assert (finding.severity, finding.blocking, finding.subject, finding.key) == (
            "error",
            True,
            "staff",
            3,
        )
        assert finding.message == (
            "Ada Lovelace is marked onboarded, but their planned start 25 Nov 2026 is after today "
            "(24 Nov 2026). Set the planned start to the day they started, or keep the status "
            "before onboarded."
        )


@pytest.mark.parametrize(
    ("transfer_due", "still_open", "fires"),
    [
        (EXIT + DAY, True, True),
        (EXIT, True, False),
        (EXIT - DAY, True, False),
        (EXIT + DAY, False, False),
        (None, True, False),
    ],
)
def test_an_open_asset_due_to_transfer_after_the_exit_date_is_an_error(
    transfer_due, still_open, fires
):
    plan = Plan(
        assets=(PlanAsset(4, "Call-centre servers", transfer_due, still_open),), exit_date=EXIT
    )

    findings = plan_findings(plan, TODAY)

    assert ("asset_after_exit" in codes(findings)) is fires
    if fires:
        finding = only(findings, "asset_after_exit")
        assert (finding.severity, finding.blocking, finding.subject, finding.key) == (
            "error",
            False,
            "asset",
            4,
        )
        assert finding.message == (
            "Asset “Call-centre servers” is due to transfer 17 Mar 2027, after the provider's "
            "exit date 16 Mar 2027."
        )


# One row as it would be saved, and the whole plan ---------------------------------------------


def test_a_row_being_saved_replaces_the_stored_row_of_the_same_key():
    stored = ms(kind="go_live", due=EXIT + DAY)
    plan = Plan(milestones=(stored,), exit_date=EXIT)

    assert codes(plan_findings(plan, TODAY)) == ["handover_after_exit"]
    assert milestone_findings(plan, replace(stored, due=EXIT), TODAY) == []


def test_a_new_row_is_judged_with_the_plan_and_has_no_key():
    design = ms(1, "Design", "planning", due=date(2027, 1, 10))
    new = ms(0, "Go live", "go_live", due=EXIT + DAY, depends_on=(1,), start=date(2027, 1, 9))
    plan = Plan(milestones=(design,), exit_date=EXIT)

    findings = milestone_findings(plan, new, TODAY)

    assert codes(findings) == ["handover_after_exit", "successor_before_predecessor"]
    assert {f.key for f in findings} == {None}


def test_a_slip_names_the_successors_it_would_push_past():
    plan = order_plan(date(2027, 1, 15))
    design = replace(plan.milestones[0], due=date(2027, 1, 20))

    findings = milestone_findings(plan, design, TODAY)

    finding = only(findings, "successor_before_predecessor")
    assert finding.key == 2
    assert "Planning “Design” is due 20 Jan 2027" in finding.message
    # The whole plan reports it once, on the successor.
    slipped = replace(plan, milestones=(design, plan.milestones[1]))
    assert codes(plan_findings(slipped, TODAY)) == ["successor_before_predecessor"]


def test_the_plans_findings_come_errors_first_then_by_date_then_by_code():
    plan = Plan(
        milestones=(
            ms(1, "Go live", "go_live", due=date(2027, 3, 20)),
            ms(2, "Training", "knowledge_transfer", start=date(2026, 9, 1), due=date(2027, 3, 18)),
        ),
        assets=(PlanAsset(1, "Servers", date(2027, 3, 17), True),),
        staff=(PlanStaff(1, "Ada", date(2026, 12, 1), True),),
        exit_date=EXIT,
        assistance_end=date(2027, 3, 19),
        programme_start=date(2026, 10, 1),
        in_house_on=date(2026, 11, 1),
    )

    findings = plan_findings(plan, TODAY)

    assert [(f.code, f.subject, f.key) for f in findings] == [
        ("onboarded_before_start", "staff", 1),  # 1 Dec 2026
        ("asset_after_exit", "asset", 1),  # 17 Mar 2027
        ("after_assistance_end", "milestone", 1),  # 20 Mar 2027
        ("handover_after_exit", "milestone", 1),  # 20 Mar 2027
        ("outside_programme", "milestone", 2),  # 1 Sep 2026
        ("completed_before_exit", "process", None),  # 1 Nov 2026
    ]


def test_a_cyclic_plan_is_still_judged():
    a = ms(1, "A", due=date(2027, 1, 10), depends_on=(2,))
    b = ms(2, "B", due=date(2027, 1, 5), depends_on=(1, 2))

    findings = plan_findings(Plan(milestones=(a, b)), TODAY)

    assert codes(findings) == ["successor_before_predecessor"]
    assert findings[0].key == 2


def test_the_kind_labels_match_the_models():
    from transition.models import Milestone

    labels = {value: str(label) for value, label in Milestone.Kind.choices}
    labels.pop("other")

    assert {kind: str(label) for kind, label in KIND_LABELS.items()} == labels
