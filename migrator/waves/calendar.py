"""Wave dates: consecutive waves of ``wave_weeks`` weeks, none of them in a freeze."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from migrator.inventory.model import Freeze


class CalendarOverflow(ValueError):
    """The waves would run past the last day Python's calendar knows (9999-12-31)."""


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def wave_dates(
    start: dt.date, weeks: int, freezes: Sequence[Freeze], count: int
) -> list[tuple[dt.date, dt.date, str | None]]:
    """(start, end, why it was moved) of each wave.

    A wave runs ``weeks`` weeks from its start to the Friday before the next wave (with a
    Monday start). A wave that would overlap a freeze starts on the same weekday after
    the freeze ends instead.
    """
    try:
        return _wave_dates(start, weeks, freezes, count)
    except OverflowError:
        raise CalendarOverflow(
            f"{count} wave(s) of {weeks} week(s) from {start} run past the "
            f"end of the calendar (9999-12-31)"
        ) from None


def _wave_dates(
    start: dt.date, weeks: int, freezes: Sequence[Freeze], count: int
) -> list[tuple[dt.date, dt.date, str | None]]:
    dates: list[tuple[dt.date, dt.date, str | None]] = []
    begin = start
    length = dt.timedelta(days=7 * weeks - 3)
    for _ in range(count):
        moved: str | None = None
        for _attempt in range(len(freezes) + 1):
            clash = next((f for f in freezes if begin <= f.end and f.start <= begin + length), None)
            if clash is None:
                break
            after = clash.end + dt.timedelta(days=1)
            begin = after + dt.timedelta(days=(begin.weekday() - after.weekday()) % 7)
            moved = f"moved after the freeze {clash.start} to {clash.end}" + (
                f" ({clash.reason})" if clash.reason else ""
            )
        end = begin + length
        dates.append((begin, end, moved))
        begin = end + dt.timedelta(days=3)
    return dates
