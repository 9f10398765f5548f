"""Tests for thscp_kg.materialise.workdays (working day = Mon-Fri excl. England & Wales bank holidays)."""
from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

# Make the repo root importable when pytest is run without the package installed.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from thscp_kg.materialise.workdays import (  # noqa: E402
    ORIGIN,
    add_calendar_days,
    add_months,
    add_working_days,
    bank_holidays,
    day_number,
    is_working_day,
    working_day_index,
    working_days_between,
)

D = date.fromisoformat

# Requirements catalogue §9: England & Wales bank holidays falling Monday-Friday.
EXPECTED_WEEKDAY_BANK_HOLIDAYS: dict[int, list[str]] = {
    2018: ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"],
    2019: ["01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"],
    # 05-08: early May bank holiday moved to Friday for VE Day 75; 12-28: Boxing Day substitute
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    # 12-27 / 12-28: substitutes for Christmas Day (Sat) and Boxing Day (Sun)
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    # 01-03 substitute; 06-02 spring (moved); 06-03 Platinum Jubilee; 09-19 State Funeral; 12-27 substitute
    2022: ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"],
    # 01-02 substitute; 05-08 Coronation
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    # 12-28: Boxing Day substitute
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
}


@pytest.mark.parametrize("year", sorted(EXPECTED_WEEKDAY_BANK_HOLIDAYS))
def test_bank_holidays_match_catalogue(year: int) -> None:
    # The holidays package also lists the actual (weekend) dates of e.g. New Year's Day
    # on a Saturday alongside the Monday substitute.  Weekends are never working days
    # anyway, so the comparison is on weekday (Mon-Fri) dates only.
    got = sorted(d for d in bank_holidays(year) if d.weekday() < 5)
    expected = [D(f"{year}-{md}") for md in EXPECTED_WEEKDAY_BANK_HOLIDAYS[year]]
    assert got == expected
    for d in expected:
        assert not is_working_day(d)


def test_bank_holidays_returns_independent_copy() -> None:
    h = bank_holidays(2024)
    h[D("2024-07-01")] = "made up"
    assert D("2024-07-01") not in bank_holidays(2024)
    assert is_working_day(D("2024-07-01"))


def _assert_deadline(aware: date, n: int, expected: date) -> None:
    assert add_working_days(aware, n) == expected
    assert working_days_between(aware, expected) == n
    # the day before the deadline is still inside the window only if it is n-1 working days
    assert working_days_between(aware, expected - timedelta(days=1)) == n - 1


def test_five_working_days_over_christmas_2023() -> None:
    # Wed 20 Dec 2023 = day 0; Thu 21 = 1, Fri 22 = 2, Sat/Sun 23-24 skipped,
    # Mon 25 / Tue 26 bank holidays, Wed 27 = 3, Thu 28 = 4, Fri 29 = 5.
    _assert_deadline(D("2023-12-20"), 5, D("2023-12-29"))
    # Sent on Tue 2 Jan 2024 (Sat 30, Sun 31 Dec and Mon 1 Jan skipped) is day 6: late.
    assert working_days_between(D("2023-12-20"), D("2024-01-02")) == 6


def test_fifteen_working_day_rapid_review_over_christmas_2024() -> None:
    # Mon 16 Dec 2024 = day 0; Tue 17 = 1, Wed 18 = 2, Thu 19 = 3, Fri 20 = 4,
    # Mon 23 = 5, Tue 24 = 6, Wed 25 / Thu 26 bank holidays, Fri 27 = 7,
    # Mon 30 = 8, Tue 31 = 9, Wed 1 Jan 2025 bank holiday, Thu 2 = 10, Fri 3 = 11,
    # Mon 6 = 12, Tue 7 = 13, Wed 8 = 14, Thu 9 Jan 2025 = 15.
    _assert_deadline(D("2024-12-16"), 15, D("2025-01-09"))
    assert add_calendar_days(D("2024-12-16"), 15) == D("2024-12-31")  # calendar differs


def test_state_funeral_2022() -> None:
    # Wed 14 Sep 2022 = day 0; Thu 15 = 1, Fri 16 = 2, Mon 19 State Funeral skipped,
    # Tue 20 = 3, Wed 21 = 4, Thu 22 Sep = 5.
    _assert_deadline(D("2022-09-14"), 5, D("2022-09-22"))
    assert not is_working_day(D("2022-09-19"))


def test_coronation_2023() -> None:
    # Thu 4 May 2023 = day 0; Fri 5 = 1, Mon 8 Coronation skipped, Tue 9 = 2,
    # Wed 10 = 3, Thu 11 = 4, Fri 12 May = 5.
    _assert_deadline(D("2023-05-04"), 5, D("2023-05-12"))
    # Early May bank holiday Mon 1 May is also skipped: Fri 28 Apr = 0, Tue 2 = 1,
    # Wed 3 = 2, Thu 4 = 3, Fri 5 = 4, Tue 9 May = 5.
    _assert_deadline(D("2023-04-28"), 5, D("2023-05-09"))


def test_ve_day_move_2020() -> None:
    # Early May bank holiday moved from Mon 4 May to Fri 8 May 2020.
    assert is_working_day(D("2020-05-04"))
    assert not is_working_day(D("2020-05-08"))
    # Mon 4 May 2020 = day 0; Tue 5 = 1, Wed 6 = 2, Thu 7 = 3, Fri 8 skipped,
    # Mon 11 = 4, Tue 12 May = 5.
    _assert_deadline(D("2020-05-04"), 5, D("2020-05-12"))


def test_index_against_naive_reference_2018_2026() -> None:
    d, end = D("2018-01-01"), D("2026-12-31")
    prev = working_day_index(d - timedelta(days=1))
    while d <= end:
        idx = working_day_index(d)
        assert idx == prev + (1 if is_working_day(d) else 0), d
        prev = idx
        d += timedelta(days=1)
    # independent reference: count working days in (ORIGIN, end] directly
    naive, d = 0, ORIGIN
    while d < end:
        d += timedelta(days=1)
        naive += is_working_day(d)
    assert working_day_index(end) == naive


def test_origin_and_range() -> None:
    assert ORIGIN.weekday() == 0
    assert working_day_index(ORIGIN) == 0
    assert working_day_index(D("2100-12-31")) > working_day_index(D("2099-12-31")) > 0
    with pytest.raises(ValueError, match="before ORIGIN"):
        working_day_index(ORIGIN - timedelta(days=1))
    with pytest.raises(ValueError):
        working_days_between(D("1999-12-31"), D("2024-01-01"))


def test_add_working_days_roundtrip() -> None:
    starts = [D("2018-01-02"), D("2020-05-07"), D("2022-09-16"), D("2023-12-22"),
              D("2024-12-24"), D("2025-03-31"), D("2026-12-24"), D("2099-06-15")]
    for a in starts:
        assert is_working_day(a), a
        for n in range(31):
            b = add_working_days(a, n)
            assert is_working_day(b), (a, n)
            assert working_days_between(a, b) == n, (a, n)


def test_add_working_days_zero_and_negative() -> None:
    assert add_working_days(D("2024-06-03"), 0) == D("2024-06-03")  # Monday
    assert add_working_days(D("2024-06-01"), 0) == D("2024-06-03")  # Sat -> Mon
    assert add_working_days(D("2023-12-25"), 0) == D("2023-12-27")  # holidays -> Wed
    assert add_working_days(D("2024-06-01"), 1) == D("2024-06-03")  # 1st working day after Sat
    with pytest.raises(ValueError):
        add_working_days(D("2024-06-03"), -1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [("2023-01-31", 1, "2023-02-28"), ("2024-01-31", 1, "2024-02-29"),
     ("2023-03-31", 12, "2024-03-31"), ("2023-08-31", 1, "2023-09-30")],
)
def test_add_months_end_of_month(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


def test_calendar_and_day_number() -> None:
    assert add_calendar_days(D("2024-02-28"), 1) == D("2024-02-29")
    assert add_calendar_days(D("2024-03-01"), -1) == D("2024-02-29")
    assert day_number(D("2024-01-01")) == D("2024-01-01").toordinal()
    assert day_number(D("2024-01-02")) - day_number(D("2023-12-31")) == 2
