"""Waivers: the file is linted like a data file; statutory MUSTs cannot be waived; approver is a
lead safeguarding partner distinct from the author; expired, not-yet-valid and unmatched waivers
do not apply and are reported; waived findings stay visible, counted apart, never failing."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import ICB_HOLDER as HOLDER
from conftest import REQUIREMENT_FIXTURES, THSCP_2023_24, with_icb_holder
from conftest import copy_thscp as _copy_thscp

from thscp_kg.cli import main
from thscp_kg.errors import ConfigError, DataError, UserError
from thscp_kg.load.loader import load_partnership_year
from thscp_kg.load.waivers import apply_waivers, load_waivers

# A fixture year with lead safeguarding partners held by named people (la-head holds la-ceo).
LSP_YEAR = REQUIREMENT_FIXTURES / "WT23-LSP-03" / "pass.yaml"

GOOD = """\
waivers:
  - id: thresholds-sign-off
    requirement: WT23-LSP-03
    focus: document/thresholds-document
    justification: The thresholds document is being replaced; the partners will sign off the replacement.
    author: partnership-strategy-manager
    approver: icb-chief-executive
    date: 2024-07-01
    expiry: 2025-03-31
"""


def write(tmp_path: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def copy_thscp(folder: Path, *args, **kwargs) -> Path:
    """THSCP records no holder of icb-chief-executive, and a vacant post approves nothing (issue 14
    #18): these tests approve their waivers by that post, so they use a copy in which a (fictional)
    person holds it."""
    path = _copy_thscp(folder, *args, **kwargs)
    path.write_text(with_icb_holder(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def thscp_held(tmp_path_factory) -> Path:
    return copy_thscp(tmp_path_factory.mktemp("thscp-held") / "tower-hamlets")


@pytest.fixture(scope="module")
def thscp_loaded(thscp_held):
    return load_partnership_year(thscp_held, "data/tower-hamlets/2023-24.yaml")


@pytest.fixture(scope="module")
def thscp_run(thscp_held):
    from thscp_kg.pipeline import check_file
    return check_file(thscp_held, display="data/tower-hamlets/2023-24.yaml")


def test_a_vacant_lead_partner_post_approves_nothing(tmp_path, catalogue):
    """#18: before, a waiver approved by a lead safeguarding partner's post nobody held was accepted."""
    vacant = load_partnership_year(THSCP_2023_24, "data/tower-hamlets/2023-24.yaml")
    message = error_of(tmp_path, GOOD, vacant, catalogue)
    assert ("waivers.yaml:7: waiver 'thresholds-sign-off': the approver's post 'icb-chief-executive' had no "
            "holder for certain on 2024-07-01, so no lead safeguarding partner approved it.") in message
    assert " Fix: " in message


@pytest.fixture(scope="module")
def lsp_loaded():
    return load_partnership_year(LSP_YEAR)


def error_of(tmp_path, text, loaded, catalogue) -> str:
    with pytest.raises(UserError) as exc:
        load_waivers(write(tmp_path, text), loaded, catalogue)
    return str(exc.value)


# -- linting ------------------------------------------------------------------------------------------
def test_a_good_file_loads(tmp_path, thscp_loaded, catalogue):
    loaded = load_waivers(write(tmp_path, GOOD), thscp_loaded, catalogue)
    assert [w.id for w in loaded.waivers] == ["thresholds-sign-off"]
    assert loaded.lines["thresholds-sign-off"] == 2


@pytest.mark.parametrize("requirement,modality", [("CA04-16G-03", "MUST"), ("WT23-YR-01", "MUST(g)")])
def test_statutory_musts_cannot_be_waived(tmp_path, thscp_loaded, catalogue, requirement, modality):
    text = GOOD.replace("requirement: WT23-LSP-03", f"requirement: {requirement}").replace(
        "document/thresholds-document", "document/annual-report-2023-24")
    message = error_of(tmp_path, text, thscp_loaded, catalogue)
    assert f"waivers.yaml:3: waiver 'thresholds-sign-off': {requirement} is a statutory duty " \
           f"(modality {modality}) and cannot be waived." in message
    assert "Fix:" in message


def test_unwaivable_must_exits_2_with_one_line(tmp_path, capsys):
    data_dir = tmp_path / "tower-hamlets"
    copy_thscp(data_dir)
    write(data_dir, GOOD.replace("WT23-LSP-03", "CA04-16G-03").replace(
        "document/thresholds-document", "document/annual-report-2023-24"))
    out = tmp_path / "out"
    assert main(["check", str(data_dir / "2023-24.yaml"), "--output-dir", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be waived" in err[0]
    assert not out.exists(), "nothing is written when the waiver file is bad"


@pytest.mark.parametrize("change,expected", [
    (("approver: icb-chief-executive", "approver: partnership-strategy-manager"),
     "the approver must be distinct from the author"),
    (("approver: icb-chief-executive", "approver: laurelle-brown"),
     "approver 'laurelle-brown' is not a lead safeguarding partner"),
    (("approver: icb-chief-executive", "approver: lbth-dcs"),   # a delegate, not the lead
     "approver 'lbth-dcs' is not a lead safeguarding partner"),
    (("author: partnership-strategy-manager", "author: someone-else"),
     "author 'someone-else' is not a post or person"),
    (("requirement: WT23-LSP-03", "requirement: WT23-XX-99"), "no requirement 'WT23-XX-99' in the catalogue"),
    (("focus: document/thresholds-document", "focus: document/no-such-document"),
     "no entity 'document/no-such-document'"),
    (("focus: document/thresholds-document", "focus: thresholds-document"), "'thresholds-document' is not a valid"),
    (("expiry: 2025-03-31", "expiry: 2025-09-30"), "more than 366 days after 2024-07-01"),
    (("expiry: 2025-03-31", "expiry: 2024-06-30"), "expiry 2024-06-30 is before the waiver's date"),
    (("expiry: 2025-03-31", "expiry: 2025-02-30"), "'2025-02-30' is not a real calendar date"),
    (("    justification: The thresholds document is being replaced; the partners will sign off the replacement.\n",
      ""), "required field 'justification' is missing"),
    (("justification: The thresholds", "justification: a long enough reason here\n    colour: The thresholds"), "unknown field 'colour'"),
])
def test_bad_waivers_are_clear_errors(tmp_path, thscp_loaded, catalogue, change, expected):
    message = error_of(tmp_path, GOOD.replace(*change), thscp_loaded, catalogue)
    assert expected in message, message
    assert message.startswith(str(tmp_path / "waivers.yaml") + ":") or "waivers.yaml:" in message


def test_duplicate_ids_and_duplicate_coverage(tmp_path, thscp_loaded, catalogue):
    twice = GOOD + GOOD.split("waivers:\n", 1)[1]
    assert "duplicate waiver id 'thresholds-sign-off'" in error_of(tmp_path, twice, thscp_loaded, catalogue)
    other = twice.replace("id: thresholds-sign-off", "id: second", 1)
    assert "cover the same finding" in error_of(tmp_path, other, thscp_loaded, catalogue)


def test_hostile_yaml_is_refused_like_a_data_file(tmp_path, thscp_loaded, catalogue):
    anchors = GOOD.replace("author: partnership-strategy-manager", "author: &a partnership-strategy-manager")
    with pytest.raises(DataError, match="anchors and aliases"):
        load_waivers(write(tmp_path, anchors), thscp_loaded, catalogue)
    with pytest.raises(ConfigError, match="mapping with a 'waivers:' list"):
        load_waivers(write(tmp_path, "- just a list\n"), thscp_loaded, catalogue)


def test_comment_only_and_empty_list_files_mean_no_waivers(tmp_path, thscp_loaded, catalogue):
    assert load_waivers(write(tmp_path, "# nothing yet\n\n"), thscp_loaded, catalogue).waivers == ()
    assert load_waivers(write(tmp_path, "waivers: []\n"), thscp_loaded, catalogue).waivers == ()


def test_bundled_example_file_is_valid_and_empty(thscp_loaded, catalogue):
    bundled = THSCP_2023_24.parent / "waivers.yaml"
    assert load_waivers(bundled, thscp_loaded, catalogue).waivers == ()
    # the commented example in it is itself a valid waiver
    example = "\n".join(line[2:] if line.startswith("# ") else line[1:]
                        for line in bundled.read_text().split("# What one would look like")[1].splitlines()[2:]
                        if line.startswith("#"))
    assert load_waivers(_tmp_file(example), thscp_loaded, catalogue).waivers[0].requirement == "WT23-LSP-03"


def _tmp_file(text: str) -> Path:
    import tempfile
    handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8")
    handle.write(text)
    handle.close()
    return Path(handle.name)


LSP_WAIVER = """\
waivers:
  - id: w
    requirement: WT23-LSP-03
    focus: document/doc
    justification: A reason that is long enough to explain the accepted risk.
    author: {author}
    approver: {approver}
    date: 2025-06-01
    expiry: 2026-03-31
"""


@pytest.mark.parametrize("author,approver,ok", [
    ("icb-ceo", "la-ceo", True),          # two different lead partners' posts
    ("icb-head", "la-head", True),        # a person holding a lead partner post on the date
    ("la-head", "la-ceo", False),         # the author holds the approving post: the same person
    ("icb-ceo", "la-ceo-typo", False),
])
def test_approver_is_a_lead_partner_distinct_from_the_author(tmp_path, lsp_loaded, catalogue, author, approver, ok):
    text = LSP_WAIVER.format(author=author, approver=approver)
    if ok:
        assert load_waivers(write(tmp_path, text), lsp_loaded, catalogue).waivers[0].approver == approver
    else:
        message = error_of(tmp_path, text, lsp_loaded, catalogue)
        assert "same person" in message or "not a lead safeguarding partner" in message


# -- applying -----------------------------------------------------------------------------------------
def _apply(tmp_path, text, thscp_run, catalogue, as_of=dt.date(2024, 7, 24)):
    waivers = load_waivers(write(tmp_path, text), thscp_run.loaded, catalogue)
    return apply_waivers(thscp_run.assessment.findings, waivers, as_of)


def test_a_waiver_marks_its_finding_and_nothing_else(tmp_path, thscp_run, catalogue):
    findings, notes = _apply(tmp_path, GOOD, thscp_run, catalogue)
    waived = [f for f in findings if f.waived]
    assert [(f.requirement, f.focus) for f in waived] == [("WT23-LSP-03", "document/thresholds-document")]
    assert waived[0].waiver["approver"] == "icb-chief-executive" and notes == []
    assert len(findings) == len(thscp_run.assessment.findings)


def test_expired_waiver_does_not_apply_and_is_reported(tmp_path, thscp_run, catalogue):
    text = GOOD.replace("date: 2024-07-01", "date: 2023-08-01").replace("expiry: 2025-03-31", "expiry: 2024-07-23")
    findings, notes = _apply(tmp_path, text, thscp_run, catalogue)
    assert not any(f.waived for f in findings)
    assert [(n["id"], n["kind"], n["matches"]) for n in notes] == [("thresholds-sign-off", "expired", 1)]
    # the expiry day itself still counts
    findings, notes = _apply(tmp_path, text, thscp_run, catalogue, as_of=dt.date(2024, 7, 23))
    assert sum(f.waived for f in findings) == 1 and notes == []


def test_waiver_dated_after_the_as_of_date_is_not_yet_in_force(tmp_path, thscp_run, catalogue):
    findings, notes = _apply(tmp_path, GOOD, thscp_run, catalogue, as_of=dt.date(2024, 6, 30))
    assert not any(f.waived for f in findings)
    assert notes[0]["kind"] == "not-yet-in-force"


def test_unmatched_waiver_is_reported(tmp_path, thscp_run, catalogue):
    text = GOOD.replace("focus: document/thresholds-document", "focus: document/six-steps-scrutiny-report")
    findings, notes = _apply(tmp_path, text, thscp_run, catalogue)
    assert not any(f.waived for f in findings)
    assert notes[0]["kind"] == "unmatched" and "matches no finding" in notes[0]["message"]


def test_value_narrows_a_waiver_to_one_finding(tmp_path, thscp_run, catalogue):
    text = GOOD.replace("requirement: WT23-LSP-03", "requirement: WT23-YR-06").replace(
        "document/thresholds-document", "document/annual-report-2023-24").replace(
        "    justification:", "    value: Department for Education\n    justification:")
    findings, _ = _apply(tmp_path, text, thscp_run, catalogue)
    assert [f.value for f in findings if f.waived] == ["Department for Education"]


# -- end to end ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def waived_dir(tmp_path_factory):
    """THSCP 2023-24 copied with a waivers.yaml next to it (the default location)."""
    folder = tmp_path_factory.mktemp("data") / "tower-hamlets"
    copy_thscp(folder)
    (folder / "waivers.yaml").write_text(GOOD, encoding="utf-8")
    return folder


def _json(out: Path) -> dict:
    return json.loads((out / "gap-report.json").read_text())


def test_default_location_applies_and_waived_findings_are_counted_apart(waived_dir, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["check", str(waived_dir / "2023-24.yaml"), "--output-dir", str(out), "--fail-on", "warning",
                 "--format", "json,md,html,sarif,junit,txt"])
    plain = tmp_path / "plain"
    main(["check", str(waived_dir / "2023-24.yaml"), "--output-dir", str(plain), "--no-waivers", "--format", "json"])
    capsys.readouterr()
    with_w, without = _json(out), _json(plain)
    assert code == 1
    waived = [f for f in with_w["findings"] if "waiver" in f]
    assert [f["waiver"]["id"] for f in waived] == ["thresholds-sign-off"]
    severity = waived[0]["severity"]
    assert with_w["waived_summary"][severity] == 1 and sum(with_w["waived_summary"].values()) == 1
    assert with_w["summary"][severity] == without["summary"][severity] - 1      # excluded from the totals
    assert len(with_w["findings"]) == len(without["findings"])                  # but still listed
    assert with_w["waivers"]["file"].endswith("waivers.yaml") and without["waivers"]["file"] is None
    assert "## Waived (1)" in (out / "gap-report.md").read_text()
    assert "WAIVED    WT23-LSP-03" in (out / "gap-report.txt").read_text()
    page = (out / "gap-report.html").read_text()
    assert 'data-testid="count-waived">1<' in page and "Waived</strong> until 31 March 2025" in page
    sarif = json.loads((out / "gap-report.sarif").read_text())
    suppressed = [r for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1 and suppressed[0]["suppressions"][0]["kind"] == "external"
    assert "being replaced" in suppressed[0]["suppressions"][0]["justification"]
    junit = (out / "gap-report.junit.xml").read_text()
    assert '<skipped message="waived (thresholds-sign-off) until 2025-03-31' in junit


def test_waived_findings_never_fail_the_run(tmp_path, capsys):
    """A fixture whose only findings are warnings: waiving them turns exit 1 into exit 0."""
    fixture = REQUIREMENT_FIXTURES / "WT23-LSP-03" / "fail-not-in-post.yaml"
    folder = tmp_path / "p"
    folder.mkdir()
    shutil.copy(fixture, folder / "fail.yaml")
    args = ["check", str(folder / "fail.yaml"), "--requirement", "WT23-LSP-03", "--fail-on", "warning",
            "--output-dir", str(tmp_path / "out"), "--format", "json"]
    assert main(args) == 1
    write(folder, LSP_WAIVER.format(author="icb-ceo", approver="la-ceo").replace("date: 2025-06-01", "date: 2025-11-01")
          .replace("expiry: 2026-03-31", "expiry: 2026-06-30"))
    assert main(args) == 0
    assert main(args + ["--no-waivers"]) == 1
    assert _json(tmp_path / "out")["summary"]["warning"] == 1
    capsys.readouterr()


def test_waivers_option_overrides_the_default_location(waived_dir, tmp_path, capsys):
    other = write(tmp_path, GOOD.replace("thresholds-document", "arrangements-2023-24"), "other.yaml")
    out = tmp_path / "out"
    main(["check", str(waived_dir / "2023-24.yaml"), "--waivers", str(other), "--output-dir", str(out),
          "--format", "json"])
    waived = [f["focus"] for f in _json(out)["findings"] if "waiver" in f]
    assert waived == ["document/arrangements-2023-24"]
    assert main(["check", str(waived_dir / "2023-24.yaml"), "--waivers", str(tmp_path / "missing.yaml"),
                 "--output-dir", str(out)]) == 2
    assert "file not found" in capsys.readouterr().err
