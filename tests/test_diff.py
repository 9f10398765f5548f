"""Year-on-year diff: THSCP 2023-24 against a modified copy standing in for 2024-25."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from conftest import THSCP_2023_24, copy_thscp

from thscp_kg.cli import main
from thscp_kg.pipeline import check_file
from thscp_kg.years.diff import diff_runs, previous_period, previous_year_path, render_text


def next_year(data: dict) -> dict:
    """What a 2024-25 update might change: one gap closed, one opened, people, groups, boards, money."""
    data["period"] = {"id": "2024-25", "start": dt.date(2024, 4, 1), "end": dt.date(2025, 3, 31)}
    data["as_of"] = dt.date(2025, 7, 31)
    report = next(d for d in data["documents"] if d["id"] == "annual-report-2023-24")
    report["published"] = dt.date(2024, 9, 30)          # closes "publication date not recorded"
    report.pop("contributors", None)                     # opens "scrutineer did not contribute"
    data["people"].append({"id": "alex-new", "name": "Alex New",
                           "evidence": [{"source": "ar-2023-24", "section": "Synthetic test change"}]})
    for post in data["posts"]:
        if post["id"] == "partnership-strategy-manager":
            post["title"] = "Head of Partnership and Strategy"
            post["holders"] = [{"person": "alex-new"}]
    data["posts"].append({"id": "deputy-chair", "title": "Deputy Chair", "role": "other"})
    data["groups"].append({"id": "new-forum", "name": "Neighbourhood Forum", "kind": "forum"})
    for group in data["groups"]:
        if group["id"] == "delivery-group":
            group["reports_to"] = "executive-group"
    data["linked_boards"] = [b for b in data["linked_boards"] if b["id"] != "community-safety-partnership-board"]
    contributions = data["funding"]["contributions"]
    for c in contributions:
        if c["contributor"] == "lbth":
            c["amount"]["amount"] = 150000
    data["funding"]["contributions"] = [c for c in contributions if c["contributor"] != "elft"] + [
        {"contributor": "probation", "amount": {"amount": 1000, "currency": "GBP"}}]
    data["funding"]["financial_year"] = "2024-25"
    return data


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("data") / "tower-hamlets"
    old = copy_thscp(folder)
    new = folder / "2024-25.yaml"
    new.write_text(yaml.safe_dump(next_year(yaml.safe_load(THSCP_2023_24.read_text(encoding="utf-8"))),
                                  sort_keys=False, allow_unicode=True), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module")
def result(years) -> dict:
    old, new = years
    return diff_runs(check_file(old, use_waivers=False), check_file(new))


def _keys(rows) -> set[tuple[str, str, str]]:
    return {(r["requirement"], r["focus"], r["shape"]) for r in rows}


def test_findings_new_resolved_and_persisting(result):
    report = "document/annual-report-2023-24"
    assert ("CA04-16G-03", report, "scp-sh:CA04-16G-03-b") in _keys(result["findings"]["resolved"])
    assert ("WT23-SCR-01", report) in {k[:2] for k in _keys(result["findings"]["new"])}
    persisting = _keys(result["findings"]["persisting"])
    assert ("WT23-LSP-03", "document/thresholds-document") in {k[:2] for k in persisting}
    s = result["summary"]
    assert s["new"] == len(result["findings"]["new"]) and s["resolved"] == len(result["findings"]["resolved"])
    assert not (_keys(result["findings"]["new"]) & persisting)
    assert result["old"]["period"] == "2023-24" and result["new"]["period"] == "2024-25"


def test_arrangement_changes(result):
    c = result["changes"]
    assert [p["id"] for p in c["posts"]["added"]] == ["deputy-chair"]
    changed = {p["id"]: p["changes"] for p in c["posts"]["changed"]}
    assert changed["partnership-strategy-manager"] == [
        {"field": "title", "old": "Partnership and Strategy Manager", "new": "Head of Partnership and Strategy"}]
    assert {(h["post"], h["person"]) for h in c["holders"]["added"]} == {("partnership-strategy-manager", "alex-new")}
    assert {(h["post"], h["person"]) for h in c["holders"]["removed"]} == {
        ("partnership-strategy-manager", "louise-griffiths")}
    assert [g["id"] for g in c["groups"]["added"]] == ["new-forum"]
    assert {"field": "reports_to", "old": None, "new": "executive-group"} in next(
        g["changes"] for g in c["groups"]["changed"] if g["id"] == "delivery-group")
    assert [b["id"] for b in c["linked_boards"]["removed"]] == ["community-safety-partnership-board"]
    assert c["partners"] == {"added": [], "removed": [], "changed": []}
    funding = {r["contributor"]: r for r in c["funding"]["contributors"]}
    assert funding["lbth"]["old"] == "145916.00" and funding["lbth"]["new"] == "150000.00"
    assert funding["lbth"]["change"] == "4084.00" and funding["lbth"]["percent"] == 2.8
    assert funding["elft"]["kind"] == "removed" and funding["probation"]["kind"] == "added"
    assert "nel-icb" not in funding                       # unchanged contributors are not listed


def test_text_rendering(result):
    text = render_text(result)
    assert "Findings: " in text and "NEW        " in text and "RESOLVED   " in text
    assert "Funding: London Borough of Tower Hamlets £145,916 → £150,000 (+£4,084, +2.8%)" in text
    assert "Post holder: Alex New now holds Head of Partnership and Strategy" in text
    assert "Linked board: removed Community Safety Partnership Board" in text


def test_diff_command_text_json_and_gate(years, tmp_path, capsys):
    old, new = years
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "Changes from" in out and "WT23-SCR-01" in out
    target = tmp_path / "diff.json"
    code = main(["diff", str(old), str(new), "--format", "json", "-o", str(target), "--fail-on-new", "warning"])
    data = json.loads(target.read_text())
    assert data["schema_version"] == 1 and data["summary"]["new"] >= 1
    new_warnings = [f for f in data["findings"]["new"]
                    if f["severity"] in ("violation", "warning") and f["fails_ci"] and not f["waived"]]
    assert new_warnings, "WT23-SCR-01 (SHOULD, verified S) is new"
    assert code == 1
    assert main(["diff", str(new), str(new), "--fail-on-new", "info"]) == 0     # nothing new against itself
    capsys.readouterr()


def test_check_adds_a_changes_section_when_last_year_is_next_to_the_data(years, tmp_path, capsys):
    old, new = years
    assert previous_period("2024-25") == "2023-24" and previous_period("1999-00") == "1998-99"
    assert previous_year_path(new, "2024-25") == old
    out = tmp_path / "out"
    main(["check", str(new), "--output-dir", str(out), "--format", "html,md,json,sarif", "-q"])
    page = (out / "gap-report.html").read_text()
    assert 'id="changes"' in page and "Changes since 2023-24" in page
    assert "£145,916 → £150,000" in page
    assert "## Changes since 2023-24" in (out / "gap-report.md").read_text()
    assert json.loads((out / "gap-report.json").read_text())["previous"]["old"]["period"] == "2023-24"
    states = {r["baselineState"] for r in json.loads((out / "gap-report.sarif").read_text())["runs"][0]["results"]}
    assert states == {"new", "unchanged"}
    plain = tmp_path / "plain"
    main(["check", str(new), "--output-dir", str(plain), "--format", "html,json", "-q", "--no-baseline"])
    assert 'id="changes"' not in (plain / "gap-report.html").read_text()
    assert "previous" not in json.loads((plain / "gap-report.json").read_text())
    capsys.readouterr()


def test_check_fail_on_new_gates_only_on_new_findings(years, tmp_path, capsys):
    old, new = years
    out = str(tmp_path / "out")
    # the base branch's copy is the same year's file: nothing new, so the gate passes despite old violations
    assert main(["check", str(old), "--baseline", str(old), "--fail-on-new", "violation", "--output-dir", out,
                 "--format", "json"]) == 0
    assert main(["check", str(old), "--output-dir", out, "--format", "json"]) == 1      # plain --fail-on
    # against last year, the new year's new warning fails a warning gate
    assert main(["check", str(new), "--fail-on-new", "warning", "--output-dir", out, "--format", "json"]) == 1
    assert "new finding(s) at or above 'warning'" in capsys.readouterr().out


@pytest.fixture(scope="module")
def real_years() -> dict:
    """THSCP 2022-23 against 2023-24, as the 2023-24 report compares them."""
    folder = THSCP_2023_24.parent
    return diff_runs(check_file(folder / "2022-23.yaml"), check_file(THSCP_2023_24))


def test_changes_split_by_what_they_mean(real_years):
    split = real_years["split"]
    reqs = {kind: {r["requirement"] for r in rows} for kind, rows in split.items()}
    # The yearly report's missing publication date is one issue on this year's report, not fixed + new.
    [renamed] = [r for r in split["renamed"] if r["requirement"] == "CA04-16G-03"]
    assert (renamed["was"], renamed["focus"]) == ("document/annual-report-2022-23", "document/annual-report-2023-24")
    assert "CA04-16G-03" not in reqs["worse"]
    # The undated 2023-24 report covers a period straddling 15 Dec 2023, so WT2018's yearly-report rules
    # still apply to it (issue 12): no WT2018 rule stops applying between these two years.
    assert not any(r.startswith("WT18-") for r in reqs["no_longer_applicable"])
    # WT2023 rules that did not apply in 2022-23 are a rule change, not the partnership getting worse.
    assert any(r.startswith("WT23-") for r in reqs["newly_applicable"])
    assert not any(r.startswith("WT23-") for r in reqs["worse"])
    # Every finding lands in one group; duties not yet due (the sign-off checklist) are not changes.
    rows = [r for kind in ("new", "resolved", "persisting") for r in real_years["findings"][kind]
            if r["status"] != "not-yet-due"]
    assert sum(len(group) for group in split.values()) == len(rows) - len(split["renamed"])


def test_an_unrecorded_figure_is_not_recorded_never_zero(real_years):
    from thscp_kg.report.changes import change_lines
    funding = real_years["changes"]["funding"]
    assert funding["total_old"] is None and funding["total_change"] is None   # 2022-23 records no funding
    lines = [line for line in change_lines(real_years["changes"]) if line.startswith("Funding")]
    assert "Funding: total contributions not recorded → £250,716" in lines
    assert not any("£0" in line for line in lines)
