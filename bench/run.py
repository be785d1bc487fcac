"""The benchmark the project ships (docs/performance.md).

    .venv/bin/python bench/run.py --scale 1          # or: make bench SCALE=1

Builds (or reuses) a PostgreSQL database with `make_portfolio`, serves the app with the
production settings under gunicorn (2 workers) on a loopback port, logs in through the
login form, and times every page of issue 13's table right after a no-database "hello"
view, interleaved, printing p50, p50 ÷ hello, throughput as a share of hello's, KB and the
query count (measured in-process with Django's test client against the same database).
Then it times the reminder sweep, an import of 10,000 contract updates and the CSV/XLSX
exports of the milestone list, each in its own process (wall time, peak RSS, a timeout),
and reports the gunicorn workers' RSS. Nothing here asserts a target: it measures.
"""

# A developer tool run by hand: every subprocess here starts our own programs (S603).
# ruff: noqa: S603

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench"
PASSWORD = "bench-only-" + "password"  # the generated `bench` user's; a throwaway database


# Environment


def production_env(args, static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "backsourcing.settings.production",
            "DATABASE_URL": args.database_url,
            # Production settings require a shared broker; the machine's Redis by default.
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DJANGO_DEBUG": "false",
            # Plain HTTP on loopback: no redirect to https (secure cookies are sent by hand).
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "BENCHMARK_HELLO": "1",
            "STATIC_ROOT": static_root,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "REMINDER_SWEEP_ON_WORKER_START": "false",
            "LOG_LEVEL": "WARNING",
            "BENCH_PASSWORD": PASSWORD,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env, *command, quiet=False):
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=out)


def ensure_database(args, env) -> float | None:
    """Create the database if missing (or --rebuild), migrate, build; seconds of the build."""
    import psycopg2

    url = urllib.parse.urlparse(args.database_url)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if args.rebuild:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        fresh = cursor.fetchone() is None
        if fresh:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage(env, "migrate", "--noinput", quiet=True)
    if not fresh:
        print(f"Reusing database {name!r} (--rebuild builds it afresh).")
        return None
    started = time.perf_counter()
    manage(env, "make_portfolio", "--scale", str(args.scale), "--seed", str(args.seed))
    return time.perf_counter() - started


# HTTP


class Session:
    """Cookies by hand: the production cookies are Secure, and this is plain loopback HTTP."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data, elapsed, dict(response.getheaders())

    def login(self, username: str, password: str) -> None:
        status, body, _, _ = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or match is None:
            raise SystemExit(f"Login page answered {status} without a CSRF token.")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
        )
        status, _, _, headers = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Logging in as {username} failed ({status}).")


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting.")
        try:
            status, _, _, _ = Session(port).request("GET", "/bench/hello/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /bench/hello/.")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# Steps run in their own process (time, peak RSS, timeout)


def timed_step(env, argv, timeout: float) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"seconds": None, "timeout": timeout, "peak_mb": None, "note": f"> {timeout:.0f} s"}
    finally:
        elapsed = time.perf_counter() - started
    # The step prints its own peak RSS (getrusage of itself) with its figures.
    result = {"seconds": elapsed, "peak_mb": None, "note": ""}
    if process.returncode != 0:
        result["note"] = (
            f"failed: {stderr.strip().splitlines()[-1] if stderr.strip() else process.returncode}"
        )
    match = re.search(r"BENCH-STEP (\{.*\})", stdout)
    if match:
        result.update(json.loads(match.group(1)))
    return result


def run_step(name: str) -> None:
    """Inside a step's own process: set Django up and do one thing, printing what it saw."""
    import resource

    import django

    django.setup()
    info: dict = {}
    if name == "queries":
        info = step_queries()
    elif name == "import":
        info = step_import()
    elif name in ("export-csv", "export-xlsx"):
        info = step_export(name.removeprefix("export-"))
    elif name == "plan":
        info = step_plan()
    elif name == "sweep":
        from django.core.management import call_command

        # The console e-mail backend prints each message: to /dev/null, not into a pipe.
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            call_command("send_reminders", stdout=devnull)
    elif name == "sweep-dry-run":
        from django.core.management import call_command

        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            call_command("send_reminders", "--dry-run", stdout=devnull)
    else:
        raise SystemExit(f"unknown step {name!r}")
    info["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH-STEP " + json.dumps(info))


def step_plan() -> dict:
    """Planning alone, rolled back afterwards: a whole plan (the day's first), then the plan
    of what one save announced (a milestone moved, a contract's terms), with their queries."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from contracts.models import Contract
    from core.clock import local_today
    from core.signals import announce_deadlines_changed
    from reminders.services import reminders_replan
    from transition.models import Milestone

    today = local_today()
    info: dict = {}
    with transaction.atomic():
        Contract.objects.refresh_notice_dates(today)
        for label, only_changes, announce in [
            ("whole plan", False, None),
            ("plan after one milestone save", True, (Milestone, Milestone.objects.open())),
            ("plan after one contract save", True, (Contract, Contract.objects.all())),
        ]:
            if announce is not None:
                model, rows = announce
                announce_deadlines_changed(model, [rows.order_by("pk").first().pk])
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                reminders_replan(today=today, only_changes=only_changes)
                info[label] = {
                    "seconds": round(time.perf_counter() - started, 3),
                    "queries": len(queries),
                }
        transaction.set_rollback(True)
    return info


def step_queries() -> dict:
    from django.test import Client

    from bench.pages import bench_user, count_queries, pages

    client = Client()
    client.force_login(bench_user())
    counted = {}
    for page in pages():
        count_queries(client, page)  # warm caches (ContentTypes, sites) like a running worker
        result = count_queries(client, page)
        counted[page.name] = {"queries": result.queries, "status": result.status}
    return {"pages": counted}


def step_import() -> dict:
    """Re-import 10,000 contracts as updates (their titles changed), as the import page does."""
    from bench.pages import bench_user
    from contracts.models import Contract
    from imports.resources import RESOURCES
    from imports.services import import_rows, read_sheet

    resource = RESOURCES["contracts"]()
    queryset = Contract.objects.order_by("pk")[:10_000]
    dataset = resource.export(queryset=queryset)
    title = dataset.headers.index(next(h for h in dataset.headers if h.lower() == "title"))
    rows = [list(row) for row in dataset]
    for row in rows:
        row[title] = f"{row[title]} (updated)"
    dataset.wipe()
    import tablib

    updated = tablib.Dataset(*rows, headers=resource.get_export_headers())
    content = updated.export("csv").encode()
    sheet = read_sheet(content, "contracts.csv")
    started = time.perf_counter()
    report = import_rows(actor=bench_user(), kind="contracts", sheet=sheet, dry_run=False)
    return {
        "import_seconds": time.perf_counter() - started,
        "rows": len(rows),
        "updated": report.updated,
        "ok": report.ok,
    }


def step_export(fmt: str) -> dict:
    """The milestone list's export, whole: a list past EXPORT_BACKGROUND_ROWS hands the file
    to a Celery task, run here in the request (eager) so the time covers building it."""
    from django.test import Client
    from django.urls import reverse

    from backsourcing.celery import app
    from bench.pages import bench_user
    from imports.models import ExportFile

    app.conf.task_always_eager = True
    user = bench_user()
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    response = client.get(reverse("transition:milestone_list"), {"export": fmt})
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    seconds = time.perf_counter() - started
    built = ExportFile.objects.filter(owner=user, format=fmt).order_by("-pk").first()
    if response.status_code == 302 and built is not None:
        return {
            "export_seconds": seconds,
            "built_in_background": built.status,
            "rows": built.row_count,
            "bytes": built.file.size if built.file else 0,
        }
    return {
        "export_seconds": seconds,
        "status": response.status_code,
        "bytes": len(body),
        "content_type": response.get("Content-Type", ""),
    }


# The run


def measure_pages(args, env) -> tuple[list[dict], dict]:
    manage(env, "collectstatic", "--noinput", quiet=True)
    gunicorn = [
        str(Path(PYTHON).parent / "gunicorn"),
        "backsourcing.wsgi",
        # The production logging: JSON access lines, on stdout (not shown, see below).
        "--config", "gunicorn.conf.py",
        "--workers", "2",
        "--bind", f"127.0.0.1:{args.port}",
        "--timeout", str(args.request_timeout),
        "--log-level", "warning",
    ]  # fmt: skip
    # One access line per request would bury the report; errors still reach stderr.
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(args.port, server)
        session = Session(args.port)
        session.login("bench", PASSWORD)
        sys.path.insert(0, str(ROOT))
        page_list = json.loads(
            subprocess.run(
                [PYTHON, "-c", "import django, json; django.setup(); "
                 "from bench.pages import pages; "
                 "print(json.dumps([[p.name, p.path] for p in pages()]))"],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        hello, timings, sizes, statuses = [], {n: [] for n, _ in page_list}, {}, {}
        for _ in range(args.warmup):
            for _name, path in page_list:
                session.request("GET", path)
        for round_ in range(args.rounds):
            for name, path in page_list:
                hello.append(session.request("GET", "/bench/hello/")[2])
                status, body, elapsed, _ = session.request("GET", path)
                timings[name].append(elapsed)
                sizes[name], statuses[name] = len(body), status
            print(f"  round {round_ + 1}/{args.rounds} done", flush=True)
        hello_p50 = statistics.median(hello)
        rows = [
            {
                "page": name,
                "p50_ms": statistics.median(timings[name]) * 1000,
                "ratio": statistics.median(timings[name]) / hello_p50,
                "kb": sizes[name] / 1024,
                "status": statuses[name],
            }
            for name, _ in page_list
        ]
        memory = {f"worker {pid}": rss_mb(pid) for pid in worker_pids(server.pid)}
        memory["hello p50 ms"] = hello_p50 * 1000
        return rows, memory
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--rebuild", action="store_true", help="Drop and rebuild the database.")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--request-timeout", type=int, default=600)
    parser.add_argument("--step-timeout", type=float, default=900, help="Seconds per timed step.")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["pages", "import", "exports", "sweep"]
    )
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        run_step(args.step)
        return 0
    if not 0 < args.scale <= 5:
        parser.error("--scale must be above 0 and at most 5")
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = production_env(args, static_root)
        results: dict = {"scale": args.scale, "build_seconds": ensure_database(args, env)}
        me = [PYTHON, str(Path(__file__).resolve())]
        if "pages" not in args.skip:
            rows, memory = measure_pages(args, env)
            queries = timed_step(env, [*me, "--step", "queries"], args.step_timeout)
            for row in rows:
                row["queries"] = queries.get("pages", {}).get(row["page"], {}).get("queries")
            results["pages"], results["memory"] = rows, memory
        steps = []
        if "exports" not in args.skip:
            steps += [
                ("milestone export CSV", "export-csv"),
                ("milestone export XLSX", "export-xlsx"),
            ]
        if "import" not in args.skip:
            steps.append(("import 10,000 contract updates", "import"))
        if "sweep" not in args.skip:
            steps += [
                ("reminder planning", "plan"),
                ("reminder sweep --dry-run", "sweep-dry-run"),
                ("reminder sweep", "sweep"),
            ]
        results["steps"] = {
            label: timed_step(env, [*me, "--step", step], args.step_timeout)
            for label, step in steps
        }
    print_report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


def print_report(results: dict) -> None:
    print()
    if results["build_seconds"] is not None:
        print(f"make_portfolio --scale {results['scale']:g}: {results['build_seconds']:.1f} s")
    if "pages" in results:
        hello = results["memory"]["hello p50 ms"]
        print(f"hello p50: {hello:.2f} ms")
        print("| page | p50 ms | p50 ÷ hello | throughput % of hello | HTML KB | queries |")
        print("|---|---:|---:|---:|---:|---:|")
        for row in results["pages"]:
            status = "" if row["status"] == 200 else f" (HTTP {row['status']})"
            print(
                f"| {row['page']}{status} | {row['p50_ms']:.1f} | {row['ratio']:,.0f}× | "
                f"{100 / row['ratio']:.2f} % | {row['kb']:,.0f} | {row['queries']} |"
            )
        for name, value in results["memory"].items():
            if name.startswith("worker"):
                print(f"gunicorn {name} RSS after the run: {value:.0f} MB")
    for label, step in results.get("steps", {}).items():
        took = f"{step['seconds']:.1f} s" if step.get("seconds") is not None else step["note"]
        extra = {
            k: v for k, v in step.items() if k not in ("seconds", "note", "peak_mb", "timeout")
        }
        peak = f", peak RSS {step['peak_mb']:.0f} MB" if step.get("peak_mb") else ""
        note = f" {step['note']}" if step.get("note") and step.get("seconds") is not None else ""
        print(f"{label}: {took}{peak}{note} {extra if extra else ''}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
