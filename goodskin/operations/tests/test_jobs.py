"""Every periodic job is declared once and runs once per slot, however many workers tick; a
failed run is recorded with its reason, and the next slot still runs."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from goodskin.accounts.tests.conftest import make_staff
from goodskin.accounts.tests.signing_in import StaffClient
from goodskin.operations import jobs
from goodskin.operations.jobs import JOBS, Job, run_slot, tick
from goodskin.operations.models import Heartbeat, JobRun, Outcome

# A backup reads the whole database, so these tests commit as the workers do.
pytestmark = pytest.mark.django_db(transaction=True)
LA = ZoneInfo("America/Los_Angeles")
NIGHT = datetime(2027, 3, 2, 4, 30, tzinfo=LA)  # after every nightly job's hour


@pytest.fixture(autouse=True)
def _backups_here(settings: Settings, tmp_path: Path) -> None:
    settings.BACKUP_DIR = str(tmp_path / "backups")


def test_every_declared_job_runs_its_command_once_per_slot_with_two_workers_ticking() -> None:
    first = tick(worker="web-1:100", now=NIGHT)
    second = tick(worker="web-2:200", now=NIGHT)

    assert sorted(run.job for run in first) == sorted(job.name for job in JOBS)
    assert second == []  # every slot was already taken
    assert JobRun.objects.count() == len(JOBS)
    failed = {run.job: run.summary for run in JobRun.objects.exclude(outcome=Outcome.DONE)}
    assert failed == {}
    assert set(Heartbeat.objects.values_list("worker", flat=True)) == {"web-1:100", "web-2:200"}


def test_a_slot_is_claimed_before_it_runs_so_a_second_claim_is_refused() -> None:
    audit = next(job for job in JOBS if job.name == "audit")
    slot = audit.last_slot(NIGHT)
    assert run_slot(audit, slot) is not None
    assert run_slot(audit, slot) is None
    assert JobRun.objects.filter(job="audit").count() == 1


def test_the_next_tick_runs_only_what_has_come_due_since() -> None:
    tick(worker="w", now=NIGHT)
    later = tick(worker="w", now=NIGHT + timedelta(minutes=6))
    assert [run.job for run in later] == ["outbox"]  # every 5 minutes; the rest run nightly


def test_a_failing_job_is_recorded_with_its_reason_and_the_next_slot_still_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = Job(
        "broken",
        "apply_retention",
        "A rule that does not exist",
        every=timedelta(minutes=5),
        arguments=("--rule", "no-such-rule"),
    )
    monkeypatch.setattr(jobs, "JOBS", (broken,))

    tick(worker="w", now=NIGHT)
    tick(worker="w", now=NIGHT + timedelta(minutes=5))

    runs = list(JobRun.objects.order_by("slot"))
    assert [run.outcome for run in runs] == [Outcome.FAILED, Outcome.FAILED]
    assert runs[0].summary.startswith("CommandError: no retention rule 'no-such-rule'")
    assert runs[0].finished_at is not None


def test_daily_slots_are_in_clinic_time_and_the_next_is_tomorrow() -> None:
    retention = next(job for job in JOBS if job.name == "retention")
    assert retention.daily_at == time(3, 0)
    assert retention.last_slot(NIGHT) == datetime(2027, 3, 2, 3, 0, tzinfo=LA)
    assert retention.last_slot(datetime(2027, 3, 2, 2, 59, tzinfo=LA)) == datetime(
        2027, 3, 1, 3, 0, tzinfo=LA
    )
    assert retention.next_slot(NIGHT) == datetime(2027, 3, 3, 3, 0, tzinfo=LA)


def test_the_jobs_page_lists_a_failure_first_with_its_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = Job(
        "broken",
        "apply_retention",
        "Always fails",
        every=timedelta(minutes=5),
        arguments=("--rule", "no-such-rule"),
    )
    monkeypatch.setattr(jobs, "JOBS", (*JOBS, broken))
    tick(worker="w", now=NIGHT)
    client = StaffClient()
    client.force_login(make_staff("Security", email="sec@goodskinclinics.com"))

    response = client.get("/console/jobs/")
    assert response.status_code == 200, response
    page = response.content.decode()

    assert "<strong>broken</strong>" in page
    assert page.index("<strong>broken</strong>") < page.index("<strong>retention</strong>")
    assert "Failed:</span> CommandError: no retention rule" in page
    assert "<code>w</code>: last seen" in page


def test_start_jobs_books_the_ticker_once(settings: Settings, capsys: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("start_jobs")
    call_command("start_jobs")
    out = capsys.readouterr().out
    assert out.count("jobs: ticker booked") == 1
    assert "jobs: ticker already booked" in out
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    assert DBTaskResult.objects.filter(task_path__endswith="ticker").count() == 1


def test_an_unknown_command_in_the_registry_would_fail_loudly() -> None:
    with pytest.raises(CommandError):
        call_command("no_such_command_anywhere")


def test_a_long_report_keeps_its_last_whole_lines() -> None:
    said = "\n".join(f"rule {n}: removed {n} rows" for n in range(100)) + "\nremoved 4950 in all\n"
    kept = jobs._last_lines(said, 100)  # noqa: SLF001  (the summary's own rule)
    assert kept.endswith("rule 99: removed 99 rows\nremoved 4950 in all")
    assert len(kept) <= 100
    assert all(line.startswith(("rule ", "removed ")) for line in kept.splitlines())
