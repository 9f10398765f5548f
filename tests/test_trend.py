"""thscp-kg trend: outcomes, funding, activity and reviews across years; every number traces to evidence."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REQUIREMENT_FIXTURES, ROOT
from thscp_kg.cli import main
from thscp_kg.years.trend import build_trend, render_html, render_json, render_markdown, render_text

DATA = ROOT / "data" / "tower-hamlets"
DATA_FOLDER = ROOT / "data" / "tower-hamlets"  # source files are named relative to it (sources/...)


@pytest.fixture(scope="module")
def trend():
    return build_trend(DATA)


def _normalise(text: str) -> str:
    from thscp_kg.load.evidence import normalise  # the one normalisation `check` uses too (EVID-01)
    return normalise(text)


def _numbers(trend: dict):
    """Every number the trend takes from the data, with its source record."""
    for c in trend["funding"]["contributors"]:
        for fy, v in c["by_year"].items():
            yield f"funding {c['contributor']} {fy}", v["amount"], v
    for fy, t in trend["funding"]["totals"].items():
        yield f"funding total {fy}", t["contributions_sum"], t
    for s in trend["activity"]:
        for v in s["values"]:
            yield f"{s['series']} {v['period']}", v["value"], v
    for period, row in trend["reviews"]["by_year"].items():
        for key, v in row["stated"].items():
            yield f"{key} {period}", v["value"], v
        for item in row["practice_reviews_recorded"]["items"]:
            yield f"practice review {item['id']}", 1, item


def test_years_and_outcomes(trend):
    assert trend["partnership"] == "tower-hamlets"
    assert trend["periods"] == ["2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    by_id = {r["requirement"]: r for r in trend["requirements"]}
    statuses = {p: c["status"] for p, c in by_id["CA04-16G-03"]["by_year"].items()}
    assert statuses.pop("2018-19") == "not-applicable"  # the LSCB era: before partnership duties
    assert set(statuses.values()) == {"not-evidenced"}
    assert by_id["DOC-01"]["by_year"]["2023-24"]["status"] == "not-met"
    assert by_id["DOC-01"]["by_year"]["2020-21"]["status"] == "met"
    assert by_id["CA04-16E-03"]["by_year"]["2019-20"]["status"] == "met"
    for row in trend["years"]:
        assert sum(row["outcomes"].values()) == len(trend["requirements"])
    notes = {row["period"]: row["notes"] for row in trend["years"]}
    assert any("before the first safeguarding partnership arrangements" in n for n in notes["2018-19"])
    assert "no yearly report recorded" in notes["2021-22"]


def test_every_number_traces_to_its_evidence(trend):
    """Data file and line, source document file and section, and a quotation found in the source."""
    seen = 0
    for what, value, record in _numbers(trend):
        seen += 1
        assert isinstance(value, (int, float)), what
        assert record["file"].startswith("data/tower-hamlets/") and record["line"], what
        line = (ROOT / record["file"]).read_text(encoding="utf-8").splitlines()[record["line"] - 1]
        assert line.strip(), what
        assert record["evidence"], what
        for e in record["evidence"]:
            assert e["source_file"] and e["section"], what
            if e.get("quote"):
                text = _normalise((DATA_FOLDER / e["source_file"]).read_text(encoding="utf-8"))
                assert _normalise(e["quote"]) in text, (what, e["quote"])
    assert seen > 40


def test_funding_by_partner_over_time(trend):
    funding = trend["funding"]
    lbth = next(c for c in funding["contributors"] if c["contributor"] == "lbth")
    assert lbth["by_year"]["2023-24"]["amount"] == 145916
    assert "Local Authority" in lbth["by_year"]["2023-24"]["evidence"][0]["quote"]
    assert funding["totals"]["2023-24"]["contributions_sum"] == 250716
    assert funding["totals"]["2023-24"]["stated_income_total"]["amount"] == 250716
    assert [r["financial_year"] for r in funding["without_amounts"]] == ["2020-21", "2021-22", "2022-23"]
    assert "overspend" in funding["without_amounts"][1]["evidence"][0]["quote"]


def test_activity_series_over_time(trend):
    series = {s["series"]: s for s in trend["activity"]}
    referrals = {v["period"]: v["value"] for v in series["referral-rate-per-10k"]["values"]}
    assert referrals == {"2021-22": 921, "2022-23": 629, "2023-24": 644}
    contacts = {v["period"]: v["value"] for v in series["contacts"]["values"]}
    assert contacts == {"2022-23": 15889, "2023-24": 15361}
    cin = {v["period"]: (v["value"], v["period_basis"]) for v in series["child-in-need-rate-per-10k"]["values"]}
    assert cin["2021-22"] == (51, "stated as 'March 2022' (the year ending then)")
    rapid = series["rapid-reviews"]["values"]
    assert [(v["period"], v["value"]) for v in rapid] == [("2023-24", 4)]
    assert "not a possible period" in rapid[0]["period_basis"]          # '23-23': shown under 2023-24
    assert all(not s["conflicts"] for s in trend["activity"])


def test_reviews_and_timeliness(trend):
    reviews = trend["reviews"]
    assert reviews["by_year"]["2023-24"]["stated"]["rapid-reviews"]["value"] == 4
    assert reviews["by_year"]["2023-24"]["practice_reviews_recorded"]["count"] == 3
    assert reviews["by_year"]["2019-20"]["practice_reviews_recorded"]["count"] == 0
    ids = {r["requirement"] for r in reviews["timeliness"]}
    assert {"CA04-16G-03", "WT18-YR-03", "WT23-YR-06"} <= ids
    wt18 = next(r for r in reviews["timeliness"] if r["requirement"] == "WT18-YR-03")
    # 2020-21 records no as-of date, so it is judged at the period end, before the publication deadline: the
    # sending is not yet due. 2019-20 is judged on 17 Nov 2020, after the deadline: not evidenced.
    assert wt18["by_year"]["2020-21"]["status"] == "not-yet-due"
    assert wt18["by_year"]["2019-20"]["status"] == "not-evidenced"
    # 2023-24's report has no publication date and covers a period straddling 15 Dec 2023, so it
    # is judged under both editions and WT2018's sending rule applies (issue 12); read before the
    # publication deadline, sending is not yet due (issue 13).
    assert wt18["by_year"]["2023-24"]["status"] == "not-yet-due"


def test_markdown_gives_a_source_for_every_number(trend):
    text = render_markdown(trend)
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defs = set(re.findall(r"^\[\^(\d+)\]: ", text, re.M))
    assert refs and refs == defs
    assert "| London Borough of Tower Hamlets | £145,916 [^" in text
    assert "002_2962e3f81039e07c.txt, Funding the Tower Hamlets Safeguarding Children Partnership" in text
    assert re.search(r"\| Rate of referrals received per 10,000 children \| 921 \[\^\d+\] \| 629 \[\^\d+\] \| 644", text)


def test_html_is_self_contained_escaped_and_sourced(trend):
    page = render_html(trend)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "</svg>" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    anchors = set(re.findall(r'href="#src-(\d+)"', page))
    targets = set(re.findall(r'<li id="src-(\d+)">', page))
    assert anchors and anchors == targets
    assert "&lt;" not in page.split("<body>")[0]


def test_outputs_are_deterministic(trend):
    again = build_trend(DATA)
    for render in (render_json, render_markdown, render_html, render_text):
        assert render(trend) == render(again)
    json.loads(render_json(trend))


def _synthetic(folder: Path, label: str) -> None:
    base = yaml.safe_load((REQUIREMENT_FIXTURES / "DOC-02" / "pass.yaml").read_text(encoding="utf-8"))
    for first in (2023, 2024):
        data = json.loads(json.dumps(base, default=str))
        period = f"{first}-{(first + 1) % 100:02d}"
        data["period"] = {"id": period, "start": f"{first}-04-01", "end": f"{first + 1}-03-31"}
        data["as_of"] = f"{first + 1}-12-01"
        data["documents"][0]["covers"] = {"start": f"{first}-04-01", "end": f"{first + 1}-03-31"}
        data["documents"][0]["statements"] = [{"kind": "stated-period", "value": period}]
        data["activity_counts"] = [{"measure": "other", "value": first - 2000, "label": label,
                                    "stated_period": period,
                                    "evidence": [{"source": "synthetic", "section": "<b>Table</b> & notes"}]}]
        (folder / f"{period}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (folder / "waivers.yaml").write_text("schema_version: 1\nwaivers: []\n", encoding="utf-8")


def test_html_escapes_text_from_the_data(tmp_path):
    folder = tmp_path / "fixture"
    folder.mkdir()
    _synthetic(folder, '<script>alert("x")</script> & "quotes"')
    page = render_html(build_trend(folder))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert "&lt;b&gt;Table&lt;/b&gt; &amp; notes" in page


def test_command_writes_the_files(tmp_path, capsys):
    folder = tmp_path / "fixture"
    folder.mkdir()
    _synthetic(folder, "Figure")
    out = tmp_path / "out"
    assert main(["trend", str(folder), "--output-dir", str(out), "--format", "md,json,html,txt"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["trend.html", "trend.json", "trend.md", "trend.txt"]
    assert "Trend: Fixture Safeguarding Children Partnership, 2023-24 to 2024-25" in capsys.readouterr().out
    data = json.loads((out / "trend.json").read_text(encoding="utf-8"))
    assert data["periods"] == ["2023-24", "2024-25"]


def test_default_output_folder(tmp_path, monkeypatch):
    folder = tmp_path / "fixture"
    folder.mkdir()
    _synthetic(folder, "Figure")
    monkeypatch.chdir(tmp_path)
    assert main(["trend", str(folder), "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "reports" / "fixture" / "trend").iterdir()) == [
        "trend.html", "trend.json", "trend.md"]


def test_bad_folders_exit_2(tmp_path, capsys):
    assert main(["trend", str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["trend", str(tmp_path / "empty")]) == 2
    assert "no partnership-year files" in capsys.readouterr().err
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    _synthetic(mixed, "Figure")
    other = yaml.safe_load((mixed / "2024-25.yaml").read_text(encoding="utf-8"))
    other["partnership"]["id"] = "elsewhere"
    (mixed / "2024-25.yaml").write_text(yaml.safe_dump(other, sort_keys=False), encoding="utf-8")
    assert main(["trend", str(mixed), "-q", "--output-dir", str(tmp_path / "out")]) == 2
    assert "more than one partnership" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_bad_year_file_stops_the_trend_with_exit_2(tmp_path, capsys):
    folder = tmp_path / "fixture"
    folder.mkdir()
    _synthetic(folder, "Figure")
    shutil.copy(ROOT / "tests" / "bad_inputs" / "enum-unknown-kind.yaml", folder / "2022-23.yaml")
    assert main(["trend", str(folder), "-q", "--output-dir", str(tmp_path / "out")]) == 2
    assert "2022-23.yaml" in capsys.readouterr().err


def test_the_chart_plots_the_share_met_and_marks_wt2023(trend):
    from thscp_kg.years.trend import _chart
    svg = _chart(trend)
    assert "Share of applicable requirements met, per year" in svg
    row = next(r for r in trend["years"] if r["period"] == "2023-24")
    assert f"{row['outcomes']['met']} of {row['applicable']}" in svg
    assert svg.count("WT2023 in force") == 1
    # marked before the first year judged under WT2023, not before any earlier one
    first = next(r["period"] for r in trend["years"] if "WT2023" in r["editions"])
    assert svg.index("WT2023 in force") < svg.index(f">{first}<")
    earlier = [r["period"] for r in trend["years"] if r["period"] < first]
    assert all(svg.index(f">{p}<") < svg.index("WT2023 in force") for p in earlier)
    assert 'viewBox="0 0 ' in svg and 'width="100%"' in svg   # scales to the page: fits A4


def test_lateness_on_an_approximate_date_reads_at_least():
    """Ashcombe's yearly report was published 'not later than 31 August 2023': its sending, 43 days after
    the latest possible due day, is at least 43 days late, and the trend says so."""
    from thscp_kg.years.trend import RENDERERS

    trend = build_trend(ROOT / "tests" / "partnerships" / "ashcombe")
    [row] = [r for r in trend["reviews"]["timeliness"] if r["requirement"] == "WT18-YR-03"]
    cell = row["by_year"]["2022-23"]
    assert cell["days_late"] == [43] and cell["worst_at_least"] is True
    assert "**not met** (2), at least 43 days late |" in RENDERERS["md"][1](trend)
    assert ", at least 43 days late</td>" in render_html(trend)


@pytest.mark.parametrize("columns", [80, 60])
def test_the_text_fits_a_narrow_terminal(trend, columns):
    """Six years of outcomes at a terminal's width: a year's notes go under its figures (one space apart
    when the columns do not fit), each changed requirement's years are a wrapped list, a year never
    parted from its outcome."""
    lines = render_text(trend, width=columns).splitlines()
    assert [line for line in lines if len(line) > columns] == []
    assert any(re.match(r"2018-19 +2019-10-30 +4 +0 +0 +80 +0 +0 +0$", line) for line in lines)  # one line
    at = lines.index("Requirements whose outcome changed:")
    assert lines[at + 1].startswith("  CA04-16F-02: 2018-19 n/a, 2019-20 not evidenced,")
    assert lines[at + 2].startswith(" " * 6) and lines[at + 2][6] != " "
    items = [item for line in lines[at + 1:] if line.startswith("      ") for item in re.split(r"(?<=,) ", line.strip())]
    assert items and all(re.fullmatch(r"\d{4}-\d{2} (n/a|met|not met|not evidenced|not yet due|-),?", i) for i in items)
    assert render_text(trend) != render_text(trend, width=columns)
    assert any(len(line) > 100 for line in render_text(trend).splitlines())   # a file's text: whole lines


def test_one_year_is_named_as_one(tmp_path):
    """A folder holding a single year: "2024-25 (1 year; …)", not "2024-25 to 2024-25 (1 years; …)"."""
    folder = tmp_path / "fixture"
    folder.mkdir()
    _synthetic(folder, "Figure")
    (folder / "2023-24.yaml").unlink()
    trend = build_trend(folder)
    assert render_text(trend).startswith("Trend: Fixture Safeguarding Children Partnership, 2024-25 (1 year; ")
    assert render_markdown(trend).startswith("# Trend: Fixture Safeguarding Children Partnership, 2024-25\n")
    assert "<title>Trend: Fixture Safeguarding Children Partnership, 2024-25</title>" in render_html(trend)
