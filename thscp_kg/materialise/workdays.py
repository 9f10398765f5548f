"""Working-day and deadline engine for England.

Convention (requirements catalogue §9, verification status M): a *working day*
is Monday to Friday excluding England & Wales bank holidays.  Bank holidays come
from the maintained ``holidays`` package (``country_holidays("GB", subdiv="ENG")``),
which works offline; no holiday dates are hand-written here.

Counting convention: the day of becoming aware is day 0, so "within 5 working
days" means ``working_days_between(aware, sent) <= 5``.
"""
from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

ORIGIN = date(2000, 1, 3)  # a Monday; working_day_index(ORIGIN) == 0

__all__ = [
    "ORIGIN", "bank_holidays", "is_working_day", "working_day_index",
    "working_days_between", "add_working_days", "add_calendar_days",
    "add_months", "day_number",
]


TABLE_YEARS = range(1990, 2071)  # the years kept in the compiled table; others are computed when asked


def _computed(years) -> dict[int, tuple[tuple[date, str], ...]]:
    # Importing ``holidays`` loads every country it knows (about 0.2 s), so it is done only here.
    import holidays

    hols = holidays.country_holidays("GB", subdiv="ENG", years=years)
    out: dict[int, list] = {y: [] for y in years}
    for d, name in hols.items():
        if d.year in out:
            out[d.year].append((d, name))
    return {y: tuple(sorted(v)) for y, v in out.items()}


def _holidays_version() -> str:
    """The installed ``holidays`` release, read from its metadata folder without importing it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("holidays")
    origin = Path(spec.origin) if spec and spec.origin else None
    if origin is None:
        return "unknown"
    found = sorted(p.name for p in origin.parent.parent.glob("holidays-*.dist-info"))
    return ",".join(found) or f"{origin}:{origin.stat().st_mtime_ns}"


@lru_cache(maxsize=1)
def _table() -> dict[int, tuple[tuple[date, str], ...]]:
    """England bank holidays for TABLE_YEARS, computed once per ``holidays`` release (thscp_kg/resources.py)."""
    from ..resources import cached

    key = f"{_holidays_version()}-{TABLE_YEARS.start}-{TABLE_YEARS.stop}"
    return cached("bank-holidays", key.replace("/", "_"), lambda: _computed(TABLE_YEARS))


@lru_cache(maxsize=None)
def _bank_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """England bank holidays for *year* as an immutable, sorted tuple (cached)."""
    if year in TABLE_YEARS:
        return _table()[year]
    return _computed(range(year, year + 1))[year]


@lru_cache(maxsize=None)
def _holiday_dates(year: int) -> frozenset[date]:
    return frozenset(d for d, _ in _bank_holidays(year))


def bank_holidays(year: int) -> dict[date, str]:
    """England bank holidays in *year* (a fresh dict; may include weekend dates)."""
    return dict(_bank_holidays(year))


def is_working_day(d: date) -> bool:
    """True if *d* is Monday-Friday and not an England bank holiday."""
    return d.weekday() < 5 and d not in _holiday_dates(d.year)


@lru_cache(maxsize=None)
def _year_cumulative(year: int) -> tuple[int, ...]:
    """cum[i] = working days from 1 Jan to (1 Jan + i days) of *year*, inclusive."""
    cum, total, d, one = [], 0, date(year, 1, 1), timedelta(days=1)
    while d.year == year:
        total += is_working_day(d)
        cum.append(total)
        d += one
    return tuple(cum)


_BASES: list[int] = [0]  # _BASES[k] = working days in years ORIGIN.year .. ORIGIN.year+k-1


def _year_base(year: int) -> int:
    """Working days from 1 Jan ORIGIN.year up to (not including) 1 Jan *year*."""
    k = year - ORIGIN.year
    while len(_BASES) <= k:
        _BASES.append(_BASES[-1] + _year_cumulative(ORIGIN.year + len(_BASES) - 1)[-1])
    return _BASES[k]


def _raw_count(d: date) -> int:
    return _year_base(d.year) + _year_cumulative(d.year)[d.timetuple().tm_yday - 1]


def working_day_index(d: date) -> int:
    """Working days from ORIGIN (index 0) to *d*; non-working days keep the previous index."""
    if d < ORIGIN:
        raise ValueError(f"working_day_index: {d.isoformat()} is before ORIGIN {ORIGIN.isoformat()}")
    return _raw_count(d) - _raw_count(ORIGIN)


def working_days_between(start: date, end: date) -> int:
    """working_day_index(end) - working_day_index(start)."""
    return working_day_index(end) - working_day_index(start)


def _working_day_with_index(k: int) -> date:
    """The (unique) working day whose working_day_index is *k* (k >= 1)."""
    raw = k + _raw_count(ORIGIN)
    year = ORIGIN.year + max(0, raw // 262 - 1)  # <= 262 working days a year
    while _year_base(year + 1) < raw:
        year += 1
    offset = bisect_left(_year_cumulative(year), raw - _year_base(year))
    return date(year, 1, 1) + timedelta(days=offset)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after *start*; n == 0 gives start or the next working day."""
    if n < 0:
        raise ValueError(f"add_working_days: n must be >= 0, got {n}")
    if n == 0 and is_working_day(start):
        return start
    return _working_day_with_index(working_day_index(start) + max(n, 1))


def add_calendar_days(d: date, n: int) -> date:
    """*d* plus *n* calendar days."""
    return d + timedelta(days=n)


def add_months(d: date, n: int) -> date:
    """*d* plus *n* calendar months, clamped to month end (31 Jan + 1 = 28/29 Feb)."""
    return d + relativedelta(months=n)


def day_number(d: date) -> int:
    """Proleptic Gregorian ordinal of *d* (plain integer for SHACL comparisons)."""
    return d.toordinal()
