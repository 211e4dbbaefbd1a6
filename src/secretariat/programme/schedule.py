"""Report due dates of a reporting cycle (pure date arithmetic)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(start_on: date, every_months: int, cycle: int) -> date:
    """Cycle 0 is due on `start_on`, cycle k `k * every_months` months later."""
    return add_months(start_on, cycle * every_months)


def cycle_on(start_on: date, every_months: int, today: date) -> int:
    """The cycle whose due date is the next on or after `today` (0 before the start)."""
    cycle = 0
    while due_date(start_on, every_months, cycle) < today:
        cycle += 1
    return cycle
