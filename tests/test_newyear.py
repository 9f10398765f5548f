"""thscp-kg new-year: next year's file carries the lasting facts, leaves the year's facts as
placeholders, loads cleanly and never overwrites by accident."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from conftest import ROOT, THSCP_2023_24, copy_thscp

from thscp_kg.cli import main
from thscp_kg.load.loader import load_partnership_year

DATA = ROOT / "data" / "tower-hamlets"
YEAR_FACTS = ("documents", "funding", "serious_incidents", "rapid_reviews", "practice_reviews", "activity_counts",
              "departures", "information_requests")


@pytest.fixture()
def scaffolded(tmp_path):
    folder = tmp_path / "tower-hamlets"
    copy_thscp(folder)
    assert main(["new-year", str(folder / "2023-24.yaml"), "2024-25"]) == 0
    return folder / "2024-25.yaml"


def test_scaffold_loads_and_carries_the_lasting_facts(scaffolded):
    new = load_partnership_year(scaffolded).year
    old = load_partnership_year(THSCP_2023_24).year
    assert new.period.id == "2024-25"
    assert (new.period.start, new.period.end) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert new.as_of is None
    assert new.partnership == old.partnership
    assert new.organisations == old.organisations
    assert new.safeguarding_partners == old.safeguarding_partners
    assert [p.id for p in new.posts] == [p.id for p in old.posts]
    assert new.people == old.people
    assert new.groups == old.groups and new.linked_boards == old.linked_boards
    assert new.priorities == old.priorities and new.data_sets == old.data_sets
    cited = {"ar-2023-24", "cabinet-2024-07-24", "meetings-2019-2020", "summary-2019-20"}
    assert {s.id for s in new.sources} == cited


def test_scaffold_leaves_the_years_facts_out_with_placeholders(scaffolded):
    new = load_partnership_year(scaffolded).year
    assert new.documents == [] and new.funding is None and new.activity_counts == []
    assert new.practice_reviews == [] and new.rapid_reviews == [] and new.serious_incidents == []
    text = scaffolded.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    for key in YEAR_FACTS:
        assert key not in raw, key
        assert f"# {key}:" in text, key
    assert "#     statements:" in text and "#     sign_offs:" in text and "#     submissions:" in text
    assert "#     covers: {start: 2024-04-01, end: 2025-03-31}" in text
    assert "infant-safety-densely-populated-borough" in text       # the unpublished review is flagged
    assert "# as_of:" in text


def test_previous_report_is_last_years_report(scaffolded):
    prev = load_partnership_year(scaffolded).year.previous_report
    assert prev.title == "Tower Hamlets Safeguarding Children Partnership Annual Report 2023-2024"
    assert prev.published is None and prev.evidence


def test_scaffold_checks(scaffolded, tmp_path):
    assert main(["check", str(scaffolded), "--output-dir", str(tmp_path / "out"), "--format", "json", "-q"]) in (0, 1)


def test_refuses_to_overwrite_unless_forced(scaffolded, capsys):
    before = scaffolded.read_text(encoding="utf-8")
    scaffolded.write_text(before + "# edited by the business unit\n", encoding="utf-8")
    assert main(["new-year", str(scaffolded.parent / "2023-24.yaml"), "2024-25"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert scaffolded.read_text(encoding="utf-8").endswith("# edited by the business unit\n")
    assert main(["new-year", str(scaffolded.parent / "2023-24.yaml"), "2024-25", "--force"]) == 0
    assert scaffolded.read_text(encoding="utf-8") == before


def test_ended_tenures_bodies_and_priorities_are_not_carried(tmp_path):
    """From 2022-23: the CCG ended on 30 June 2022, so neither it nor its partner entry is carried."""
    out = tmp_path / "2023-24.yaml"
    assert main(["new-year", str(DATA / "2022-23.yaml"), "2023-24", "-o", str(out)]) == 0
    new = load_partnership_year(out).year
    assert {o.id for o in new.organisations} == {"lbth", "met-police", "nel-icb"}
    assert [p.organisation for p in new.safeguarding_partners] == ["lbth", "met-police", "nel-icb"]
    assert "organisation 'ccg' (ended 2022-06-30)" in out.read_text(encoding="utf-8")


def test_closed_tenures_and_ended_priorities(tmp_path):
    data = yaml.safe_load(THSCP_2023_24.read_text(encoding="utf-8"))
    post = next(p for p in data["posts"] if p["id"] == "lbth-dcs")
    post["holders"][0]["until"] = dt.date(2024, 1, 31)          # left during the year
    data["priorities"][0]["until"] = dt.date(2024, 3, 31)        # ended with the year
    folder = tmp_path / "p"
    copy_thscp(folder)  # with its sources/
    (folder / "2023-24.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert main(["new-year", str(folder / "2023-24.yaml"), "2024-25"]) == 0
    new = load_partnership_year(folder / "2024-25.yaml").year
    assert "lbth-dcs" not in {p.id for p in new.posts}
    assert "steve-reddy" not in {p.id for p in new.people}
    assert data["priorities"][0]["id"] not in {p.id for p in new.priorities}
    text = (folder / "2024-25.yaml").read_text(encoding="utf-8")
    assert "post 'lbth-dcs' (no tenure open at 2024-03-31)" in text


@pytest.mark.parametrize("period,message", [
    ("2024-26", "not two consecutive years"), ("2022-23", "is not after 2023-24"), ("24-25", "is not a period"),
])
def test_bad_periods_exit_2(tmp_path, capsys, period, message):
    assert main(["new-year", str(THSCP_2023_24), period, "-o", str(tmp_path / "x.yaml")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


def test_a_later_year_moves_the_dates_on(tmp_path):
    out = tmp_path / "2026-27.yaml"
    assert main(["new-year", str(THSCP_2023_24), "2026-27", "-o", str(out)]) == 0
    period = load_partnership_year(out).year.period
    assert (period.start, period.end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_a_skipped_year_is_warned_about(tmp_path, capsys):
    out = tmp_path / "2025-26.yaml"
    assert main(["new-year", str(THSCP_2023_24), "2025-26", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: 2025-26 does not follow 2023-24: 2024-25 is skipped" in err
    assert main(["new-year", str(THSCP_2023_24), "2024-25", "-o", str(tmp_path / "2024-25.yaml")]) == 0
    assert "warning" not in capsys.readouterr().err


def test_works_from_another_partnerships_file(tmp_path):
    """Kestleigh (an invented partnership, tests/partnerships/): its own lasting facts, none of THSCP's."""
    source = ROOT / "tests" / "partnerships" / "kestleigh" / "2022-23.yaml"
    copy_thscp(tmp_path, "2022-23.yaml", source=source) if (source.parent / "sources").is_dir() else \
        shutil.copy(source, tmp_path / "2022-23.yaml")
    assert main(["new-year", str(tmp_path / "2022-23.yaml"), "2023-24"]) == 0
    new = load_partnership_year(tmp_path / "2023-24.yaml").year
    old = load_partnership_year(source).year
    assert new.partnership.id == old.partnership.id == "kestleigh"
    assert {o.id for o in new.organisations} <= {o.id for o in old.organisations}
    assert "tower-hamlets" not in (tmp_path / "2023-24.yaml").read_text(encoding="utf-8").lower()
