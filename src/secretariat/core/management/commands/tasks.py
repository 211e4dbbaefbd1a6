from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Background tasks: `reap` puts back the tasks of dead workers and re-enqueues overdue "
        "deadlines (what every worker does periodically); `stuck` lists what needs a look."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=["reap", "stuck"])

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        from secretariat.core import reaper

        if what == "reap":
            reaped = reaper.reap_stale_tasks()
            resumed = reaper.sweep_overdue_deadlines()
            self.stdout.write(f"{len(reaped)} task(s) of dead workers put back in the queue")
            for task_id in reaped:
                self.stdout.write(f"  {task_id}")
            self.stdout.write(f"{len(resumed)} overdue deadline(s) enqueued again")
            for deadline in resumed:
                self.stdout.write(f"  {deadline.kind}: {deadline.label}")
            return
        report = reaper.stuck_report()
        self.stdout.write(f"live workers: {report.live_workers}")
        for title, lines in (
            ("running on a dead worker", report.orphaned),
            ("failed (7 days)", report.failed),
            ("waiting past their time", report.waiting),
        ):
            self.stdout.write(f"{title}: {len(lines)}")
            for line in lines:
                since = f"{line.since:%Y-%m-%d %H:%M:%S}" if line.since else "-"
                self.stdout.write(f"  {line.id} {line.task} {since} {line.worker} {line.error}")
        self.stdout.write(f"overdue deadlines: {len(report.overdue)}")
        for deadline in report.overdue:
            self.stdout.write(f"  {deadline.kind}: {deadline.label} due {deadline.due_at:%c}")
