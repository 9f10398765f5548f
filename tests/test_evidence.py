"""Evidence belongs to the partnership: source files beside the data, quotes checked by `check` (EVID-01/02)."""
from __future__ import annotations

import json

import pytest
import yaml
from conftest import REQUIREMENT_FIXTURES, ROOT, copy_thscp

from thscp_kg.cli import main
from thscp_kg.errors import DataError
from thscp_kg.load.evidence import nearest_match, normalise
from thscp_kg.load.loader import load_partnership_year

DATA = ROOT / "data" / "tower-hamlets"
YEARS = sorted(p.stem for p in DATA.glob("20??-??.yaml"))


def test_normalise_forgives_typography_never_words():
    assert normalise("the \u201cfront\u00a0door\u201d\n in 2024\u201325 \ufb01les") == 'the "front door" in 2024-25 files'
    assert normalise("Partnership\u2019s") == normalise("Partnership's")
    assert normalise("commissioned") != normalise("appointed")


def test_nearest_match_finds_the_reworded_passage():
    text = normalise("Intro. The partners commissioned an independent scrutineer in 2024. Funding follows.")
    assert nearest_match("The partners appointed an independent scrutineer", text).startswith(
        "The partners commissioned an independent scrutineer")


@pytest.mark.parametrize("year", YEARS)
def test_check_verifies_every_thscp_quote_against_its_source(year):
    loaded = load_partnership_year(DATA / f"{year}.yaml")
    assert loaded.quote_checks, "the THSCP files quote their sources; a check that looked at nothing proves nothing"
    assert all(c.found for c in loaded.quote_checks), [c for c in loaded.quote_checks if not c.found]


def test_a_misquote_is_a_finding_with_the_data_line_and_the_nearest_passage(tmp_path):
    path = copy_thscp(tmp_path / "tower-hamlets")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    quote = next(e["quote"] for e in data["partnership"]["evidence"] if e.get("quote"))
    assert text.count(quote) >= 1
    words = quote.split()
    changed = " ".join(words[:-1] + ["Zanzibar"])
    path.write_text(text.replace(quote, changed, 1), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Zanzibar" in row)
    from thscp_kg.pipeline import check_file

    run = check_file(path, requirement_ids=["EVID-01"], display="2023-24.yaml")
    [finding] = run.assessment.findings
    assert finding.location == f"2023-24.yaml:{line}"
    assert "Zanzibar" in finding.message and " ".join(words[:-1]) in finding.message.split("nearest passage")[1]


def test_a_source_the_loader_cannot_read_is_not_counted_as_verified(tmp_path):
    folder = tmp_path / "p"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "report.pdf").write_bytes(b"%PDF-1.4 not text")
    case = (REQUIREMENT_FIXTURES / "EVID-01" / "fail.yaml").read_text(encoding="utf-8")
    (folder / "fail.yaml").write_text(case.replace("sources/yearly-report.txt", "sources/report.pdf"), encoding="utf-8")
    loaded = load_partnership_year(folder / "fail.yaml")
    assert [c.found for c in loaded.quote_checks] == [None, None]
    from thscp_kg.pipeline import check_file

    run = check_file(folder / "fail.yaml", requirement_ids=["EVID-01"])
    assert not run.assessment.findings
    # Nothing could be checked: never "met"; not evidenced, nothing recorded to check (issue 13's vacuous rule).
    [outcome] = run.assessment.outcomes
    assert outcome.status.value == "not-evidenced" and outcome.vacuous


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    folder = tmp_path / "p"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "yearly-report.txt").symlink_to(outside)
    (folder / "pass.yaml").write_text((REQUIREMENT_FIXTURES / "EVID-01" / "pass.yaml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    with pytest.raises(DataError, match="leads outside the partnership's folder"):
        load_partnership_year(folder / "pass.yaml")


def test_require_evidence_flag_makes_an_unevidenced_fact_a_finding(tmp_path, capsys):
    case = REQUIREMENT_FIXTURES / "EVID-02" / "fail.yaml"
    for flag, expected in (([], set()), (["--require-evidence"], {"organisation/police", "area/borough"})):
        out = tmp_path / ("with" if flag else "without")
        main(["check", str(case), "--format", "json", "--output-dir", str(out), "-q", *flag])
        report = json.loads((out / "gap-report.json").read_text(encoding="utf-8"))
        assert {f["focus"] for f in report["findings"] if f["requirement"] == "EVID-02"} == expected
