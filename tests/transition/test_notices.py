"""Exit notice on a contract: notice_serve and notice_withdraw, joining from a process page,
the contract's status, simultaneous notices on PostgreSQL and the data migration.

Today is frozen at 2026-11-24. The factory contract renews yearly from 2027-12-31 with
three months' notice, so notice received today ends the service on 2027-12-31.
"""

import importlib
import threading
import time
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from contracts import dates
from contracts.models import Contract, ExitNotice
from tests.clock import TODAY
from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.models import OutsourcedProcess, ProcessEvent
from transition.services import (
    TransitionBlocked,
    apply_transition,
    notice_serve,
    notice_withdraw,
)

State = OutsourcedProcess.State
EXIT = date(2027, 12, 31)
REASON = "The provider cut its price by 20%."
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def ready(contract, **fields) -> OutsourcedProcess:
    """An outsourced process of `contract` that meets every guard of serving notice."""
    process = OutsourcedProcessFactory(contract=contract, **fields)
    ReadinessAssessmentFactory(process=process)
    return process


def fresh(obj):
    """The stored row: a contract caches its notice state, a process's state lies after a
    rollback."""
    return type(obj).objects.get(pk=obj.pk)


def snapshot(*processes) -> dict:
    """Everything a refused notice must leave as it was."""
    return {
        "notices": ExitNotice.objects.count(),
        "notice_history": ExitNotice.history.count(),
        "events": ProcessEvent.objects.count(),
        "processes": [
            (p.state, p.exit_notice_id, p.notice_served_on, p.exit_date)
            for p in OutsourcedProcess.objects.filter(pk__in=[p.pk for p in processes]).order_by(
                "pk"
            )
        ],
        "process_history": OutsourcedProcess.history.count(),
    }


def serve(actor, contract, **kwargs) -> ExitNotice:
    kwargs.setdefault("served_on", TODAY)
    return notice_serve(actor=actor, contract=contract, **kwargs)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
class TestServing:
    def test_the_whole_contract_moves_every_outsourced_process_with_one_event_each(
        self, operations_manager
    ):
        contract = ContractFactory()
        processes = [ready(contract) for _ in range(3)]
        elsewhere = ready(ContractFactory())

        notice = serve(operations_manager, contract, note="Board decision of 20 Nov.")

        for process in processes:
            process = fresh(process)
            assert process.state == State.EXIT_NOTICE
            assert process.exit_notice == notice
            assert process.notice_served_on == TODAY
            assert process.exit_date == EXIT
            (event,) = ProcessEvent.objects.filter(process=process)
            assert (event.transition, event.source, event.target) == (
                "serve_exit_notice",
                State.OUTSOURCED,
                State.EXIT_NOTICE,
            )
            assert event.notice == notice
            assert event.actor == operations_manager
            assert event.note == "Board decision of 20 Nov."
        assert fresh(elsewhere).state == State.OUTSOURCED
        assert not ProcessEvent.objects.filter(process=elsewhere).exists()

    def test_the_notice_records_the_act_with_the_exit_date_from_the_engine(
        self, operations_manager, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        contract = ContractFactory(notice_method=Contract.NoticeMethod.REGISTERED_POST)
        ready(contract)

        notice = serve(
            operations_manager,
            contract,
            served_on=date(2026, 11, 20),
            dispatched_on=date(2026, 11, 18),
            method=Contract.NoticeMethod.REGISTERED_POST,
            recipient="The Company Secretary",
            signed_by="Chief Operating Officer",
            proof=SimpleUploadedFile("receipt.pdf", PDF),
        )

        notice.refresh_from_db()
        assert notice.scope == ExitNotice.Scope.WHOLE
        assert notice.contract == contract
        assert notice.served_on == date(2026, 11, 20)
        assert notice.dispatched_on == date(2026, 11, 18)
        assert notice.method == "registered_post"
        assert (notice.recipient, notice.signed_by) == (
            "The Company Secretary",
            "Chief Operating Officer",
        )
        assert notice.exit_date == contract.exit_date_if_served(date(2026, 11, 20)) == EXIT
        assert notice.served_by == operations_manager
        assert notice.is_active
        assert notice.proof.name == f"contracts/{contract.pk}/notices/receipt.pdf"
        assert (tmp_path / notice.proof.name).read_bytes() == PDF
        assert {row.history_user for row in notice.history.all()} == {operations_manager}
        assert notice.history.latest().proof == notice.proof.name

    def test_notice_on_named_processes_moves_only_those(self, operations_manager):
        contract = ContractFactory()
        named, other = ready(contract), ready(contract)

        notice = serve(operations_manager, contract, processes=[named.pk])

        assert notice.scope == ExitNotice.Scope.PROCESSES
        assert fresh(named).exit_notice == notice
        assert fresh(named).state == State.EXIT_NOTICE
        assert fresh(other).state == State.OUTSOURCED
        assert fresh(other).exit_notice is None
        assert list(ProcessEvent.objects.values_list("process", "notice")) == [
            (named.pk, notice.pk)
        ]

    def test_the_contract_is_under_notice_until_the_exit_date(self, operations_manager):
        contract = ContractFactory()
        ready(contract), ready(contract)

        serve(operations_manager, contract)

        contract = fresh(contract)
        assert contract.status() == dates.STATUS_UNDER_NOTICE
        assert contract.get_status_display() == "Under notice — ends 31 Dec 2027"
        assert fresh(contract).status(date(2028, 1, 1)) == dates.STATUS_EXPIRED
        listed = Contract.objects.with_notice_state().get(pk=contract.pk)
        assert listed.status() == dates.STATUS_UNDER_NOTICE

    def test_notice_on_some_processes_leaves_the_contract_partly_under_notice(
        self, operations_manager
    ):
        contract = ContractFactory()
        named, _other = ready(contract), ready(contract)

        serve(operations_manager, contract, processes=[named.pk])

        assert fresh(contract).status() == dates.STATUS_PARTLY_UNDER_NOTICE
        assert fresh(contract).get_status_display() == "Partly under notice"
        listed = Contract.objects.with_notice_state().get(pk=contract.pk)
        assert listed.status() == dates.STATUS_PARTLY_UNDER_NOTICE

    def test_a_whole_notice_after_a_partial_one_takes_the_rest(self, operations_manager):
        contract = ContractFactory()
        first, rest = ready(contract), ready(contract)
        partial = serve(operations_manager, contract, processes=[first.pk])

        whole = serve(operations_manager, contract)

        assert fresh(first).exit_notice == partial
        assert fresh(rest).exit_notice == whole
        assert fresh(contract).status() == dates.STATUS_UNDER_NOTICE


def _window_contract(**_):
    # Terms of docs/domain.md example 5: notice received 24 Nov 2026 is too early for the
    # term ending 31 Dec 2027, whose 9-month window opens 31 Mar 2027.
    return ContractFactory(notice_window_months=9), {}


def _ended_contract(**_):
    contract = ContractFactory(
        start_date=date(2024, 1, 1),
        end_date=date(2026, 10, 31),
        renewal=Contract.Renewal.NONE,
        renewal_term_months=None,
    )
    return contract, {}


def _future(**_):
    return ContractFactory(), {"served_on": date(2026, 11, 25)}


def _foreign_process(**_):
    foreign = ready(ContractFactory(), name="Payroll of another contract")
    return ContractFactory(), {"processes": [foreign.pk]}


def _html_named_pdf(**_):
    return ContractFactory(), {"proof": SimpleUploadedFile("letter.pdf", HTML)}


def _too_big(settings, **_):
    settings.CONTRACT_DOCUMENT_MAX_BYTES = len(PDF) - 1
    return ContractFactory(), {"proof": SimpleUploadedFile("letter.pdf", PDF)}


def _second_notice_on_a_process(actor, **_):
    contract = ContractFactory()
    process = ready(contract)
    serve(actor, contract, processes=[process.pk], served_on=date(2026, 11, 2))
    return contract, {"processes": [process.pk]}


def _second_whole_notice(actor, **_):
    contract = ContractFactory()
    serve(actor, contract, served_on=date(2026, 11, 2))
    ready(contract)  # a process added since, still outsourced
    return contract, {}


def _dispatched_after_received(**_):
    return ContractFactory(), {"dispatched_on": date(2026, 11, 24), "served_on": date(2026, 11, 20)}


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize(
    ("make", "field", "message"),
    [
        (_future, "served_on", "Notice cannot be received in the future (25 Nov 2026)."),
        (
            _window_contract,
            "served_on",
            "Notice received on 24 Nov 2026 is before the notice window opens on "
            "31 Mar 2027 (at most 9 months before the term end 31 Dec 2027).",
        ),
        (_ended_contract, "served_on", "is not running on 24 Nov 2026"),
        (_foreign_process, "processes", "Payroll of another contract"),
        (_html_named_pdf, "proof", "PDF"),
        (_too_big, "proof", "documents may be at most"),
        (_second_notice_on_a_process, "processes", "is already under notice received 2 Nov"),
        (_second_whole_notice, "processes", "is already under notice, received 2 Nov 2026"),
        (_dispatched_after_received, "dispatched_on", "cannot be dispatched (24 Nov 2026)"),
    ],
    ids=[
        "served in the future",
        "before the notice window",
        "after the contract ended",
        "process of another contract",
        "HTML named .pdf",
        "proof too big",
        "second notice over a process",
        "second whole-contract notice",
        "dispatched after received",
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    make, field, message, operations_manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    contract, kwargs = make(actor=operations_manager, settings=settings)
    processes = [ready(contract), ready(contract), *OutsourcedProcess.objects.all()]
    before = snapshot(*processes)

    with pytest.raises(ValidationError) as refused:
        serve(operations_manager, contract, **kwargs)

    assert field in refused.value.message_dict, refused.value.message_dict
    assert any(message in text for text in refused.value.message_dict[field]), (
        refused.value.message_dict
    )
    assert snapshot(*processes) == before
    assert not list(tmp_path.rglob("*.*"))


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
class TestRefusals:
    def test_an_unmet_guard_on_one_process_blocks_the_whole_notice(self, operations_manager):
        contract = ContractFactory()
        assessed = ready(contract, name="Returns")
        unassessed = OutsourcedProcessFactory(contract=contract, name="Warehousing")
        before = snapshot(assessed, unassessed)

        with pytest.raises(TransitionBlocked) as blocked:
            serve(operations_manager, contract)

        assert blocked.value.reasons == [
            "Warehousing: Record a readiness assessment before serving exit notice."
        ]
        assert snapshot(assessed, unassessed) == before
        assert not ExitNotice.objects.exists()
        assert not ProcessEvent.objects.exists()
        assert fresh(assessed).state == State.OUTSOURCED

    def test_a_blocked_notice_leaves_no_proof_in_storage(
        self, operations_manager, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        contract = ContractFactory()
        OutsourcedProcessFactory(contract=contract)  # no readiness assessment

        with pytest.raises(TransitionBlocked):
            serve(operations_manager, contract, proof=SimpleUploadedFile("receipt.pdf", PDF))

        assert not ExitNotice.objects.exists()
        assert not list(tmp_path.rglob("*.*"))

    def test_reasons_name_each_blocked_process(self, operations_manager):
        contract = ContractFactory()
        first = OutsourcedProcessFactory(contract=contract, name="Alpha")
        second = OutsourcedProcessFactory(
            contract=contract, name="Beta", projected_inhouse_annual_cost=None
        )
        ReadinessAssessmentFactory(process=second)

        with pytest.raises(TransitionBlocked) as blocked:
            serve(operations_manager, contract, processes=[second.pk, first.pk])

        assert len(blocked.value.reasons) == 2
        assert blocked.value.reasons[0].startswith("Beta: ")
        assert "projected in-house annual cost" in blocked.value.reasons[0]
        assert blocked.value.reasons[1].startswith("Alpha: ")

    @pytest.mark.parametrize("role", ["viewer", "project_lead"])
    def test_viewers_and_project_leads_may_not_serve_notice(self, role, request):
        user = request.getfixturevalue(role)
        contract = ContractFactory()
        process = ready(contract, lead=user)
        before = snapshot(process)

        with pytest.raises(PermissionDenied):
            serve(user, contract)

        assert snapshot(process) == before

    @pytest.mark.parametrize("role", ["viewer", "project_lead"])
    def test_viewers_and_project_leads_may_not_withdraw_notice(
        self, role, request, operations_manager
    ):
        user = request.getfixturevalue(role)
        contract = ContractFactory()
        process = ready(contract, lead=user)
        notice = serve(operations_manager, contract)
        before = snapshot(process)

        with pytest.raises(PermissionDenied):
            notice_withdraw(actor=user, notice=notice, reason=REASON)

        assert snapshot(process) == before
        assert fresh(notice).is_active


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
class TestFromAProcessPage:
    def test_serving_a_process_records_a_notice_naming_it(self, operations_manager):
        contract = ContractFactory(notice_method=Contract.NoticeMethod.COURIER)
        process, other = ready(contract), ready(contract)

        apply_transition(process, "serve_exit_notice", operations_manager, served_on=TODAY)

        notice = ExitNotice.objects.get()
        assert notice.contract == contract
        assert notice.scope == ExitNotice.Scope.PROCESSES
        assert notice.served_on == TODAY
        assert notice.exit_date == EXIT
        assert notice.method == "courier"
        assert notice.served_by == operations_manager
        assert list(notice.processes.all()) == [process]
        assert ProcessEvent.objects.get().notice == notice
        assert fresh(other).exit_notice is None
        assert fresh(contract).status() == dates.STATUS_PARTLY_UNDER_NOTICE

    def test_a_second_process_served_the_same_day_joins_that_notice(self, operations_manager):
        contract = ContractFactory()
        first, second = ready(contract), ready(contract)
        apply_transition(first, "serve_exit_notice", operations_manager, served_on=TODAY)

        apply_transition(second, "serve_exit_notice", operations_manager, served_on=TODAY)

        notice = ExitNotice.objects.get()
        assert set(notice.processes.all()) == {first, second}
        assert set(ProcessEvent.objects.values_list("notice", flat=True)) == {notice.pk}
        assert fresh(contract).status() == dates.STATUS_UNDER_NOTICE

    def test_a_process_served_another_day_gets_a_notice_of_its_own(self, operations_manager):
        contract = ContractFactory()
        first, second = ready(contract), ready(contract)
        apply_transition(
            first, "serve_exit_notice", operations_manager, served_on=date(2026, 11, 2)
        )

        apply_transition(second, "serve_exit_notice", operations_manager, served_on=TODAY)

        assert fresh(first).exit_notice != fresh(second).exit_notice
        assert ExitNotice.objects.filter(contract=contract).count() == 2

    def test_a_process_joining_a_whole_contract_notice_takes_its_date(self, operations_manager):
        contract = ContractFactory()
        ready(contract)
        whole = serve(operations_manager, contract, served_on=date(2026, 11, 2))
        added = ready(contract)  # a process put under the contract after the notice

        apply_transition(added, "serve_exit_notice", operations_manager, served_on=TODAY)

        added = fresh(added)
        assert added.exit_notice == whole
        assert added.notice_served_on == date(2026, 11, 2)
        assert added.exit_date == whole.exit_date
        assert ExitNotice.objects.count() == 1
        assert ProcessEvent.objects.get(process=added).notice == whole

    def test_a_blocked_process_records_no_notice(self, operations_manager):
        process = OutsourcedProcessFactory()  # no readiness assessment

        with pytest.raises(TransitionBlocked):
            apply_transition(process, "serve_exit_notice", operations_manager)

        assert not ExitNotice.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
class TestWithdrawing:
    def test_withdrawal_moves_the_processes_back_and_keeps_the_record(self, operations_manager):
        contract = ContractFactory()
        processes = [ready(contract), ready(contract)]
        notice = serve(operations_manager, contract, served_on=date(2026, 11, 2))

        withdrawn = notice_withdraw(
            actor=operations_manager,
            notice=notice,
            reason=f"  {REASON}  ",
            provider_agreed=True,
            withdrawn_on=date(2026, 11, 20),
        )

        notice = fresh(notice)
        assert withdrawn == notice
        assert not notice.is_active
        assert notice.withdrawn_on == date(2026, 11, 20)
        assert notice.withdrawal_reason == REASON
        assert notice.provider_agreed is True
        assert notice.withdrawn_by == operations_manager
        assert notice.history.latest().history_user == operations_manager
        for process in processes:
            process = fresh(process)
            assert process.state == State.OUTSOURCED
            assert (process.exit_notice, process.notice_served_on, process.exit_date) == (
                None,
                None,
                None,
            )
            withdrawal = ProcessEvent.objects.get(process=process, transition="withdraw_notice")
            assert withdrawal.notice == notice
            assert withdrawal.note == REASON
        contract = fresh(contract)
        assert contract.status() == contract.term_status() == dates.STATUS_ACTIVE
        assert set(notice.events.values_list("transition", flat=True)) == {
            "serve_exit_notice",
            "withdraw_notice",
        }

    def test_withdrawal_is_dated_today_unless_told(self, operations_manager):
        contract = ContractFactory()
        ready(contract)
        notice = serve(operations_manager, contract, served_on=date(2026, 11, 2))

        notice_withdraw(actor=operations_manager, notice=notice, reason=REASON)

        assert fresh(notice).withdrawn_on == TODAY
        assert fresh(notice).provider_agreed is None

    def test_a_contract_can_be_served_again_after_a_withdrawal(self, operations_manager):
        contract = ContractFactory()
        process = ready(contract)
        first = serve(operations_manager, contract, served_on=date(2026, 11, 2))
        notice_withdraw(actor=operations_manager, notice=first, reason=REASON)

        second = serve(operations_manager, contract)

        assert fresh(process).exit_notice == second
        assert ExitNotice.objects.active().get() == second

    def test_withdrawing_the_only_process_of_a_notice_closes_it(self, operations_manager):
        contract = ContractFactory()
        process = ready(contract)
        apply_transition(process, "serve_exit_notice", operations_manager, served_on=TODAY)
        notice = ExitNotice.objects.get()

        apply_transition(process, "withdraw_notice", operations_manager, reason=REASON)

        notice = fresh(notice)
        assert notice.withdrawn_on == TODAY
        assert notice.withdrawal_reason == REASON
        assert notice.withdrawn_by == operations_manager
        assert fresh(contract).status() == dates.STATUS_ACTIVE

    def test_withdrawing_one_of_two_processes_keeps_the_notice(self, operations_manager):
        contract = ContractFactory()
        first, second = ready(contract), ready(contract)
        notice = serve(operations_manager, contract)

        apply_transition(first, "withdraw_notice", operations_manager, reason=REASON)

        assert fresh(notice).is_active
        assert list(fresh(notice).processes.all()) == [second]
        assert fresh(contract).status() == dates.STATUS_PARTLY_UNDER_NOTICE

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_withdrawal_without_a_reason_is_refused(self, reason, operations_manager):
        contract = ContractFactory()
        process = ready(contract)
        notice = serve(operations_manager, contract)
        before = snapshot(process)

        with pytest.raises(ValidationError) as refused:
            notice_withdraw(actor=operations_manager, notice=notice, reason=reason)

        assert refused.value.message_dict == {
            "withdrawal_reason": ["Give a reason for withdrawing the notice."]
        }
        assert snapshot(process) == before
        assert fresh(notice).is_active

    def test_a_withdrawn_notice_cannot_be_withdrawn_again(self, operations_manager):
        contract = ContractFactory()
        ready(contract)
        notice = serve(operations_manager, contract)
        notice_withdraw(actor=operations_manager, notice=notice, reason=REASON)

        with pytest.raises(ValidationError) as refused:
            notice_withdraw(actor=operations_manager, notice=notice, reason="Again.")

        assert "withdrawn_on" in refused.value.message_dict
        assert fresh(notice).withdrawal_reason == REASON

    @pytest.mark.parametrize("withdrawn_on", [date(2026, 11, 1), date(2026, 11, 25)])
    def test_a_withdrawal_is_dated_between_the_notice_and_today(
        self, withdrawn_on, operations_manager
    ):
        contract = ContractFactory()
        process = ready(contract)
        notice = serve(operations_manager, contract, served_on=date(2026, 11, 2))
        before = snapshot(process)

        with pytest.raises(ValidationError) as refused:
            notice_withdraw(
                actor=operations_manager, notice=notice, reason=REASON, withdrawn_on=withdrawn_on
            )

        assert "withdrawn_on" in refused.value.message_dict
        assert snapshot(process) == before

    def test_a_notice_whose_process_is_in_transition_cannot_be_withdrawn(self, operations_manager):
        contract = ContractFactory()
        waiting = ready(contract, name="Returns")
        moving = ready(contract, name="Warehousing")
        notice = serve(operations_manager, contract)
        OutsourcedProcess.objects.filter(pk=moving.pk).update(state=State.TRANSITION)
        before = snapshot(waiting, moving)

        with pytest.raises(TransitionBlocked) as blocked:
            notice_withdraw(actor=operations_manager, notice=notice, reason=REASON)

        assert blocked.value.reasons == [
            "Warehousing: “Withdraw notice” is possible only from Exit notice; "
            "the process is Transition now."
        ]
        assert snapshot(waiting, moving) == before
        assert fresh(notice).is_active


# Simultaneous writers on PostgreSQL ---------------------------------------------------------

ATTEMPTS = 10


def run_at_once(attempts) -> list[tuple[str, object]]:
    """Run each callable in its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    outcomes, lock = [], threading.Lock()

    def run(attempt):
        try:
            barrier.wait(timeout=10)
            try:
                outcome = ("done", attempt())
            except ValidationError as refused:
                outcome = ("refused", refused.message_dict)
            except TransitionBlocked as blocked:
                outcome = ("blocked", blocked.reasons)
            except Exception as error:  # any other outcome fails the assertions
                outcome = ("error", repr(error))
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
@time_machine.travel(date(2026, 11, 24), tick=False)
@pytest.mark.parametrize("scope", ["whole", "processes"])
def test_ten_simultaneous_notices_on_one_contract_serve_exactly_one(scope, operations_manager):
    contract = ContractFactory(reference="MSA-7")
    processes = [ready(contract, name=f"Process {n}") for n in (1, 2)]
    named = {"processes": [processes[0].pk]} if scope == "processes" else {}

    def attempt():
        return notice_serve(
            actor=operations_manager, contract=contract, served_on=TODAY, **named
        ).pk

    outcomes = run_at_once([attempt] * ATTEMPTS)

    assert sorted(kind for kind, _ in outcomes) == ["done"] + ["refused"] * (ATTEMPTS - 1), outcomes
    expected = (
        "Contract MSA-7 is already under notice, received 24 Nov 2026."
        if scope == "whole"
        else "Process 1 is already under notice received 24 Nov 2026."
    )
    assert {str(detail) for kind, detail in outcomes if kind == "refused"} == {
        str({"processes": [expected]})
    }
    notice = ExitNotice.objects.get()
    in_scope = processes if scope == "whole" else processes[:1]
    for process in in_scope:
        assert fresh(process).exit_notice == notice
        assert ProcessEvent.objects.filter(process=process).count() == 1
    assert ProcessEvent.objects.count() == len(in_scope)


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
@time_machine.travel(date(2026, 11, 24), tick=False)
def test_a_contract_notice_and_a_process_page_at_once_do_not_deadlock(
    operations_manager, monkeypatch
):
    """The process page holds its process while it looks for the contract's notice; the
    contract-level notice must not hold the contract meanwhile and wait for that process."""
    from transition.services import workflow

    contract = ContractFactory()
    page_process, other = ready(contract), ready(contract)
    original, inside = workflow.notice_for_process, threading.Event()

    def slowly(**kwargs):
        inside.set()
        time.sleep(0.5)  # the contract-level notice starts meanwhile
        return original(**kwargs)

    monkeypatch.setattr(workflow, "notice_for_process", slowly)

    def page():
        return apply_transition(page_process, "serve_exit_notice", operations_manager).state

    def whole():
        inside.wait(timeout=10)
        return notice_serve(actor=operations_manager, contract=contract, served_on=TODAY).pk

    outcomes = run_at_once([page, whole])

    assert sorted(kind for kind, _ in outcomes) == ["done", "done"], outcomes
    assert fresh(page_process).state == fresh(other).state == State.EXIT_NOTICE
    assert ProcessEvent.objects.count() == 2
    assert fresh(contract).status() == dates.STATUS_UNDER_NOTICE


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
@time_machine.travel(date(2026, 11, 24), tick=False)
def test_a_withdrawal_and_a_process_page_at_once_do_not_deadlock(operations_manager, monkeypatch):
    """A process page withdrawing one process writes its event against the notice; the
    contract-level withdrawal must not hold the notice meanwhile and wait for that process."""
    from transition.services import workflow

    contract = ContractFactory()
    page_process, other = ready(contract), ready(contract)
    notice = notice_serve(actor=operations_manager, contract=contract, served_on=TODAY)
    original, inside = workflow.unmet_reasons, threading.Event()

    def slowly(*args):
        inside.set()
        time.sleep(0.5)
        return original(*args)

    monkeypatch.setattr(workflow, "unmet_reasons", slowly)

    def page():
        return apply_transition(
            page_process, "withdraw_notice", operations_manager, reason=REASON
        ).state

    def contract_level():
        inside.wait(timeout=10)
        return notice_withdraw(actor=operations_manager, notice=notice, reason=REASON).pk

    outcomes = run_at_once([page, contract_level])

    assert "error" not in {kind for kind, _ in outcomes}, outcomes
    assert fresh(page_process).state == fresh(other).state == State.OUTSOURCED
    assert not fresh(notice).is_active


# The data migration ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_records_a_notice_for_processes_served_before():
    migration = importlib.import_module("transition.migrations.0003_carry_notices_over")
    actor = UserFactory()
    whole_contract, partial_contract = ContractFactory(), ContractFactory()

    def served(contract, on, exit_date):
        process = OutsourcedProcessFactory(
            contract=contract, state=State.EXIT_NOTICE, notice_served_on=on, exit_date=exit_date
        )
        ProcessEvent.objects.create(
            process=process,
            transition="serve_exit_notice",
            source=State.OUTSOURCED,
            target=State.EXIT_NOTICE,
            actor=actor,
        )
        return process

    letter = [served(whole_contract, date(2026, 6, 1), EXIT) for _ in range(2)]
    alone = served(partial_contract, date(2026, 7, 1), EXIT)
    OutsourcedProcessFactory(contract=partial_contract)  # never served

    migration.carry_notices_over(apps, None)

    whole = ExitNotice.objects.get(contract=whole_contract)
    assert (whole.scope, whole.served_on, whole.exit_date, whole.served_by) == (
        ExitNotice.Scope.WHOLE,
        date(2026, 6, 1),
        EXIT,
        actor,
    )
    assert set(whole.processes.all()) == set(letter)
    assert set(whole.events.values_list("process", flat=True)) == {p.pk for p in letter}
    partial = ExitNotice.objects.get(contract=partial_contract)
    assert partial.scope == ExitNotice.Scope.PROCESSES
    assert list(partial.processes.all()) == [alone]
    assert fresh(partial_contract).status(date(2026, 11, 24)) == dates.STATUS_PARTLY_UNDER_NOTICE

    migration.carry_notices_over(apps, None)  # again: nothing left to carry over

    assert ExitNotice.objects.count() == 2
