"""A worker killed while the mail server holds the e-mail loses no reminder, and its repeat
carries the same Message-ID (issue 17; docs/reminders.md, "Exactly once, and what a crash
can still do").

Everything is real: aiosmtpd in this process, a prefork Celery worker in a subprocess on
Redis, sharing this test's PostgreSQL database. The server takes in the first reminder
e-mail and then holds back its 250; the worker is killed with SIGKILL right then, the
server lets go, and the worker (its pool's new child, or a new worker) delivers again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from reminders.models import Notification, Reminder
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory

from .smtp_server import RecordingHandler, start_server

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TITLE = "Crash-test cut-over"
# Long enough that only the pool's redelivery can explain a prompt resend (the child case).
NO_EXPIRY = 15 * 60
# Short, so the claim of a batch whose whole worker died expires within the test.
QUICK_EXPIRY = 2

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def wait_for(condition, seconds: float = 40.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def stat(pid: int) -> list[str]:
    """/proc/<pid>/stat's fields after the command name: state, parent, …, start time (19th)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def alive(pid: int, started: str | None = None) -> bool:
    """Whether `pid` still runs (a zombie counts as dead), and is the process that started
    at `started` (not a later one given the same id)."""
    fields = stat(pid)
    return bool(fields) and fields[0] != "Z" and started in (None, fields[19])


def children(pid: int) -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and (fields := stat(int(entry.name)))
        if fields[1] == str(pid) and fields[0] != "Z"
    ]


def database_url() -> str:
    """This test's database (pytest-django's test_… copy), for the worker subprocess."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


class Worker:
    """`celery -A backsourcing worker`, prefork with one child, as a subprocess."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.processes: list[subprocess.Popen] = []
        self.pool_children: list[tuple[int, str]] = []  # (pid, start time)

    def start(self) -> subprocess.Popen:
        celery = Path(sys.executable).with_name("celery")
        with self.log.open("a") as log:
            process = subprocess.Popen(  # noqa: S603 - our own fixed command line
                [
                    str(celery),
                    "-A",
                    "backsourcing",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    f"--hostname=crash-{uuid.uuid4().hex[:8]}@%h",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended as one in teardown
            )
        self.processes.append(process)
        return process

    def pool_child(self) -> int:
        main = self.processes[-1].pid
        assert wait_for(lambda: len(children(main)) == 1, 10), "no single pool child"
        child = children(main)[0]
        self.pool_children.append((child, stat(child)[19]))
        return child

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
        # A pool child that outlived its killed parent (it should not) is ended by its id.
        for pid, started in self.pool_children:
            if alive(pid, started):
                os.kill(pid, signal.SIGKILL)


def forget_queue(queue: str) -> None:
    """Drop the test queue, its exchange's bindings and its unacknowledged messages (a worker
    killed whole leaves its task there; kombu would restore it after the visibility timeout)."""
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, raw in client.hscan_iter("unacked"):
        _payload, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def smtp():
    handler = RecordingHandler(stall_on=TITLE)
    controller = start_server(handler)
    yield handler, controller.port
    handler.release.set()
    controller.stop()


@pytest.fixture
def worker_for(transactional_db, smtp, tmp_path):
    """Builds the worker for a claim timeout; stops it (and cleans Redis) afterwards."""
    queue = f"crash-test-{uuid.uuid4().hex}"
    made: list[Worker] = []

    def build(claim_timeout: int) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reminders.crash_worker_settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": REDIS_URL,
            "EMAIL_PORT": str(smtp[1]),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "REMINDER_CLAIM_TIMEOUT_SECONDS": str(claim_timeout),
        }
        env.pop("CELERY_BROKER_URL", None)
        made.append(Worker(env, tmp_path / "worker.log"))
        return made[-1]

    yield build
    for worker in made:
        worker.stop()
        log = worker.log.read_text() if worker.log.exists() else ""
        print(f"--- worker log ---\n{log[-20000:]}")  # shown by pytest when the test fails
    forget_queue(queue)


def due_milestone():
    """A milestone due tomorrow with nobody named: its one-day reminder, due now, goes to the
    two operations managers (the fallback group), each with an e-mail address."""
    UserFactory(username="crash-olga", role="Operations managers")
    UserFactory(username="crash-omar", role="Operations managers")
    process = OutsourcedProcessFactory(lead=None)
    # Relative to the real day: the worker's sweep runs on the real clock.
    return MilestoneFactory(
        process=process, title=TITLE, owner=None, due_date=timezone.localdate() + timedelta(1)
    )


def the_reminder(milestone):
    return Reminder.objects.filter(kind="milestone_due", object_id=milestone.pk, offset_days=1)


@pytest.mark.parametrize("victim", ["pool child", "main process"])
def test_a_worker_killed_mid_send_loses_no_reminder_and_repeats_it_under_one_message_id(
    victim, smtp, worker_for
):
    handler, _port = smtp
    milestone = due_milestone()
    worker = worker_for(NO_EXPIRY if victim == "pool child" else QUICK_EXPIRY)
    main = worker.start()

    assert handler.stalled.wait(45), "the worker never sent the reminder"
    reminder = the_reminder(milestone).get()
    # The server has the e-mail; the row's transaction is still open in the worker.
    assert reminder.status == Reminder.Status.PENDING
    child = worker.pool_child()

    if victim == "pool child":
        os.kill(child, signal.SIGKILL)
        handler.release.set()
        # The main process sees its child lost, requeues the task (acks_late,
        # reject_on_worker_lost), and a new child delivers: no claim has to expire.
    else:
        os.kill(main.pid, signal.SIGKILL)
        main.wait(10)
        # Celery's pool children die with their parent (PR_SET_PDEATHSIG).
        assert wait_for(lambda: not alive(child), 10), "the pool child outlived its parent"
        handler.release.set()
        assert the_reminder(milestone).get().status == Reminder.Status.PENDING
        # The task is stuck unacknowledged in Redis until the visibility timeout (an hour):
        # the row comes back through its claim expiring and the next sweep (here the one a
        # starting worker runs).
        time.sleep(QUICK_EXPIRY + 0.5)
        worker.start()

    assert wait_for(lambda: the_reminder(milestone).get().status == Reminder.Status.SENT), (
        "the reminder was not delivered after the crash"
    )
    reminder = the_reminder(milestone).get()
    managers = {"crash-olga@example.com", "crash-omar@example.com"}

    received = handler.messages(TITLE)
    for message in received:
        assert len(message.to) == 1, f"one To: per e-mail, got {message.to}"
        assert message.envelope_to == message.to
    ids_by_recipient: dict[str, set[str]] = defaultdict(set)
    for message in received:
        ids_by_recipient[message.to[0]].add(message.message_id)
    assert set(ids_by_recipient) == managers
    # Every attempt at one recipient's e-mail carried one Message-ID; recipients' differ.
    assert all(len(ids) == 1 for ids in ids_by_recipient.values()), ids_by_recipient
    message_ids = [ids.pop() for ids in ids_by_recipient.values()]
    assert len(set(message_ids)) == len(message_ids)
    assert all(mid.startswith("<") and mid.endswith("@testserver>") for mid in message_ids)
    # The crash did hit the window: the stalled e-mail was received again.
    first = received[0].to[0]
    assert sum(1 for message in received if message.to[0] == first) >= 2
    # Deduplicated by Message-ID (what the receiving systems do), each got exactly one.
    distinct = {(message.message_id, message.to[0]) for message in received}
    assert sorted(to for _message_id, to in distinct) == sorted(managers)
    # In-app notifications and the record of who was told are in the row's transaction:
    # exactly once, whatever the crash.
    assert sorted(reminder.recipients.values_list("email", flat=True)) == sorted(managers)
    assert Notification.objects.filter(reminder=reminder).count() == len(managers)
