"""Cut one shift into pieces along a CAO's time windows, midnight and the break.

Work happens in real time: piece boundaries are instants, durations are real elapsed
time, and each piece is classified by the local (Europe/Amsterdam) wall clock at its
start. So a 22:00–06:00 night shift in the night DST starts lasts 7 h, and 9 h in the
night it ends. Inside one piece nothing changes: no window edge, no midnight, no break
edge and (after `mark_overtime`) no overtime trigger lies strictly inside it.

The break is placed in the middle of the shift (centred on its real-time midpoint) and
its pieces are not worked; this keeps the arithmetic exact and matches common practice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from contracts.cao.model import Cao, OvertimeRule

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MICROS_PER_HOUR = Decimal(3_600_000_000)


@dataclass(frozen=True)
class Piece:
    start: datetime                 # UTC
    end: datetime                   # UTC
    day: date                       # local date at start
    at: time                        # local wall-clock time at start
    worked: bool = True
    surcharges: tuple[int, ...] = ()   # indexes into cao.surcharges
    overtime: OvertimeRule | None = None

    @property
    def micros(self) -> int:
        """Length in whole microseconds: counters add these exactly (hours as Decimal quotients
        do not: 1 h 35 min is 1.58333…, and a sum of such pieces can end a hair short of 9.5)."""
        return (self.end - self.start) // timedelta(microseconds=1)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.micros) / MICROS_PER_HOUR

    def split(self, micros: int) -> tuple["Piece", "Piece"]:
        cut = self.start + timedelta(microseconds=micros)
        return replace(self, end=cut), replace(self, start=cut)


def to_micros(hours: Decimal) -> int:
    """Hours as whole microseconds (to the nearest)."""
    return int((Decimal(hours) * MICROS_PER_HOUR).to_integral_value())


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Real elapsed hours (aware datetimes in one zone subtract as wall clock, so use UTC)."""
    elapsed = end.astimezone(UTC) - start.astimezone(UTC)
    return Decimal(elapsed // timedelta(microseconds=1)) / MICROS_PER_HOUR


def break_interval(start: datetime, end: datetime, break_minutes: int) -> tuple[datetime, datetime]:
    """The break, centred on the shift's real-time midpoint."""
    middle = start + (end - start) / 2
    half = timedelta(minutes=break_minutes) / 2
    return middle - half, middle + half


def _window_edges(cao: Cao) -> set[time]:
    edges = {time(0, 0)}
    for surcharge in cao.surcharges:
        edges.add(surcharge.start)
        if surcharge.end is not None:
            edges.add(surcharge.end)
    return edges


def _local_edges(cao: Cao, start: datetime, end: datetime) -> list[datetime]:
    edges, day = [], start.astimezone(AMSTERDAM).date()
    last_day = end.astimezone(AMSTERDAM).date()
    while day <= last_day:
        for wall in _window_edges(cao):
            instant = datetime.combine(day, wall, tzinfo=AMSTERDAM).astimezone(UTC)
            if start < instant < end:
                edges.append(instant)
        day += timedelta(days=1)
    return edges


def cut_shift(cao: Cao, start: datetime, end: datetime, break_minutes: int) -> list[Piece]:
    """Chronological pieces of the shift, with the surcharge windows covering each."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    pause_start, pause_end = break_interval(start, end, break_minutes)
    cuts = {start, end, *_local_edges(cao, start, end)}
    if break_minutes:
        cuts |= {pause_start, pause_end}
    instants = sorted(cuts)
    pieces = []
    for begin, finish in zip(instants, instants[1:]):
        local = begin.astimezone(AMSTERDAM)
        day, at = local.date(), local.time().replace(tzinfo=None)
        worked = not (break_minutes and pause_start <= begin and finish <= pause_end)
        covering = tuple(i for i, s in enumerate(cao.surcharges) if s.covers(cao, day, at))
        pieces.append(Piece(begin, finish, day, at, worked, covering))
    return _drop_short_windows(cao, pieces)


def _drop_short_windows(cao: Cao, pieces: list[Piece]) -> list[Piece]:
    """A window with `min_hours_in_window` counts only if that much work of the shift lies in
    it: the break is not work (recreatie: 22:00–03:00 with half an hour's break is 4.5 h)."""
    too_short = set()
    for i, surcharge in enumerate(cao.surcharges):
        if surcharge.min_hours_in_window is None:
            continue
        inside = sum(p.micros for p in pieces if p.worked and i in p.surcharges)
        if inside < to_micros(surcharge.min_hours_in_window):
            too_short.add(i)
    if not too_short:
        return pieces
    return [replace(p, surcharges=tuple(i for i in p.surcharges if i not in too_short)) for p in pieces]


def mark_overtime(cao: Cao, pieces: list[Piece], before_on_day: Decimal, before_in_week: Decimal) -> list[Piece]:
    """Split worked pieces where a day or week trigger is crossed; mark overtime pieces.

    The day counter runs per shift (a night shift is one working day) starting at
    `before_on_day`; the week counter starts at `before_in_week` and restarts at
    Monday 00:00 local time when the shift runs into a new week.
    """
    rules = [r for r in cao.overtime if r.trigger in ("day", "week")]
    # counted in whole microseconds, so a trigger is reached exactly and every cut has a length
    counted = {"day": to_micros(before_on_day), "week": to_micros(before_in_week)}
    after = {id(r): to_micros(r.after_hours) for r in rules}
    queue, out, previous_day = list(pieces), [], None
    while queue:
        piece = queue.pop(0)
        if previous_day is not None and piece.day != previous_day and piece.day.weekday() == 0:
            counted["week"] = 0
        previous_day = piece.day
        if not piece.worked or not rules:
            out.append(piece)
            continue
        rooms = [after[id(r)] - counted[r.trigger] for r in rules]
        cut = min((room for room in rooms if 0 < room < piece.micros), default=None)
        if cut is not None:
            piece, rest = piece.split(cut)
            queue.insert(0, rest)
        active = [r for r in rules if counted[r.trigger] >= after[id(r)]]
        best = max(active, key=lambda r: r.percent, default=None)
        out.append(replace(piece, overtime=best))
        for key in counted:
            counted[key] += piece.micros
    return out
