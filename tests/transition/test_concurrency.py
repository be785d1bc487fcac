"""Simultaneous transitions on PostgreSQL: the row lock lets exactly one through."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection

from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.models import OutsourcedProcess, ProcessEvent
from transition.services import TransitionBlocked, apply_transition

ATTEMPTS = 10


@pytest.mark.postgres
@pytest.mark.usefixtures("transactional_db")
@time_machine.travel(date(2026, 11, 24), tick=False)
def test_ten_simultaneous_notices_serve_exactly_one(operations_manager):
    process = OutsourcedProcessFactory()
    ReadinessAssessmentFactory(process=process)
    history_before = process.history.count()
    barrier = threading.Barrier(ATTEMPTS)
    outcomes, lock = [], threading.Lock()

    def attempt():
        try:
            mine = OutsourcedProcess.objects.get(pk=process.pk)
            barrier.wait(timeout=10)
            try:
                apply_transition(mine, "serve_exit_notice", operations_manager)
                outcome = ("served", [])
            except TransitionBlocked as blocked:
                outcome = ("blocked", blocked.reasons)
            except Exception as error:  # any other outcome fails the assertions below
                outcome = ("error", [repr(error)])
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in outcomes) == ["blocked"] * 9 + ["served"]
    assert {tuple(reasons) for kind, reasons in outcomes if kind == "blocked"} == {
        ("“Serve exit notice” is possible only from Outsourced; the process is Exit notice now.",)
    }
    process.refresh_from_db()
    assert process.state == OutsourcedProcess.State.EXIT_NOTICE
    assert process.notice_served_on == date(2026, 11, 24)
    assert ProcessEvent.objects.filter(process=process).count() == 1
    assert process.history.count() == history_before + 1
