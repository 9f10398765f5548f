"""THSCP history, 2018-19 to 2023-24: every year file loads, checks under its own edition, carries
verbatim evidence for every fact, and shows what the sources show (and no more)."""
from __future__ import annotations

import pytest
from conftest import ROOT
from rdflib.namespace import PROV, RDF

from thscp_kg.namespaces import SCP

DATA = ROOT / "data" / "tower-hamlets"
DATA_FOLDER = ROOT / "data" / "tower-hamlets"  # source files are named relative to it (sources/...)
YEARS = ["2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
HISTORY = YEARS[:-1]


@pytest.fixture(scope="module")
def runs():
    from thscp_kg.pipeline import check_file
    return {y: check_file(DATA / f"{y}.yaml", display=f"data/tower-hamlets/{y}.yaml") for y in YEARS}


def test_one_file_per_year():
    assert sorted(p.stem for p in DATA.glob("20??-??.yaml")) == YEARS


def _normalise(text: str) -> str:
    from thscp_kg.load.evidence import normalise  # the one normalisation `check` uses too (EVID-01)
    return normalise(text)


@pytest.mark.parametrize("year", HISTORY)
def test_every_fact_has_evidence_with_a_verbatim_quote(runs, year):
    graph = runs[year].graph
    cites = set(graph.objects(None, PROV.qualifiedDerivation))
    assert cites
    for cite in cites:
        source = graph.value(cite, PROV.entity)
        assert graph.value(source, RDF.type) == SCP.SourceDocument
        assert str(graph.value(cite, SCP.section)).strip()
        quote = graph.value(cite, SCP.quote)
        assert quote is not None, f"{year}: every citation in the history files quotes its source"
        text = _normalise((DATA_FOLDER / str(graph.value(source, SCP.fileName))).read_text(encoding="utf-8"))
        assert _normalise(str(quote)) in text, quote
    for kind in (SCP.Person, SCP.Partnership, SCP.Document, SCP.ActivityCount, SCP.DocumentStatement):
        for node in graph.subjects(RDF.type, kind):
            assert graph.value(node, PROV.qualifiedDerivation) is not None, node


@pytest.mark.parametrize("year", HISTORY)
def test_sources_are_declared_by_a_path_beside_the_data(year):
    from thscp_kg.load.loader import load_partnership_year

    loaded = load_partnership_year(DATA / f"{year}.yaml")
    for source in loaded.year.sources:
        assert source.file, source.id
        assert source.file.startswith("sources/") and (DATA_FOLDER / source.file).is_file(), source.file


@pytest.mark.parametrize("year", YEARS)
def test_no_child_identifying_data(year):
    text = (DATA / f"{year}.yaml").read_text(encoding="utf-8")
    for name in ("Imaana", "Imtiyaz", "Mia-Ly", "date_of_birth", "sixteen"):
        assert name not in text


def test_each_year_runs_under_its_own_edition(runs):
    editions = {y: [e["id"] for e in runs[y].assessment.editions] for y in YEARS}
    assert editions == {"2018-19": ["WT2018"], "2019-20": ["WT2018"], "2020-21": ["WT2018"],
                        "2021-22": ["WT2018"], "2022-23": ["WT2018"], "2023-24": ["WT2018", "WT2023"]}
    for year in HISTORY:
        labelled = {f.edition for f in runs[year].assessment.findings if f.requirement.startswith("WT")}
        assert labelled <= {"WT2018"}, year


def _pairs(run, requirement):
    return sorted((f.shape.removeprefix("scp-sh:"), f.focus) for f in run.assessment.findings
                  if f.requirement == requirement)


def test_years_without_a_yearly_report_say_so(runs):
    """2021-22: none in the sources. (2018-19 is the LSCB era: see test_lscb_year.)"""
    for year in ("2021-22",):
        assert _pairs(runs[year], "CA04-16G-03") == [("CA04-16G-03-a", f"year/{year}")], year
    for year in ("2019-20", "2020-21", "2022-23", "2023-24"):
        assert ("CA04-16G-03-a", f"year/{year}") not in _pairs(runs[year], "CA04-16G-03"), year


def test_lscb_year(runs):
    """No safeguarding partners; the Board as an organisation of kind other; its report not a
    yearly report. The year ends before the first arrangements were due (29 June 2019), so no
    partnership duty is judged: they are not applicable, not gaps."""
    run = runs["2018-19"]
    year = run.loaded.year
    assert year.safeguarding_partners == []
    assert {o.id: o.kind.value for o in year.organisations}["lscb"] == "other"
    assert [d.kind.value for d in year.documents] == ["other", "cover-report"]
    assert year.as_of.isoformat() == "2019-10-30"
    assert run.assessment.findings == []
    status = {o.requirement: o.status.value for o in run.assessment.outcomes}
    for req in ("CA04-16E-01", "CA04-16E-03", "CA04-16G-01", "CA04-16G-03", "WT18-THR-01", "WT18-SP-01"):
        assert status[req] == "not-applicable", req


def test_move_to_the_partnership_2019_20(runs):
    year = runs["2019-20"].loaded.year
    assert [p.organisation for p in year.safeguarding_partners] == ["lbth", "met-police", "ccg"]
    arrangements = next(d for d in year.documents if d.kind.value == "arrangements")
    # "published in June 2019": the month only, so no date is recorded and the checker says so.
    assert arrangements.published is None and arrangements.first_published is None
    assert ("CA04-16G-02-a", "document/arrangements-2019") in _pairs(runs["2019-20"], "CA04-16G-02")
    assert any(p.role.value == "independent-scrutineer" for p in year.posts)
    assert year.previous_report is None


def test_2020_21_sign_offs_and_sending_are_planned_only(runs):
    report = next(d for d in runs["2020-21"].loaded.year.documents if d.kind.value == "yearly-report")
    assert report.sign_offs and all(s.planned for s in report.sign_offs)
    assert {s.post for s in report.sign_offs} == {"lbth-dcs", "borough-commander", "ccg-chief-executive",
                                                  "independent-scrutineer"}
    assert {(s.recipient, s.within_days, s.planned) for s in report.submissions} == {
        ("national-panel", 7, True), ("wwcsc", 7, True)}
    assert report.published is None
    assert runs["2020-21"].loaded.year.as_of is None      # the Cabinet report is undated


def test_2021_22_and_2022_23_figures(runs):
    def counts(year):
        return {(c.measure.value, c.label, c.stated_period): int(c.value)
                for c in runs[year].loaded.year.activity_counts}

    c21, c22 = counts("2021-22"), counts("2022-23")
    assert c21[("referral-rate-per-10k", "Rate of referrals received per 10,000 children", "2021/22")] == 921
    assert c22[("referral-rate-per-10k", "Rate of referrals received per 10,000 children", "2022/23")] == 629
    assert c22[("contacts", "Contacts received into the Multi-Agency Safety Team (MAST)", "2022/23")] == 15889
    assert c21[("other", "Contacts by source: Police (% of contacts)", "2021/22")] == 39
    assert c22[("other", "Contacts by source: Police (% of contacts)", "2022/23")] == 41
    assert sum(v for (m, label, _), v in c21.items() if label.startswith("Contacts by source")) == 98  # as published
    assert runs["2021-22"].loaded.year.funding.contributions == []


def test_2022_23_health_partner_and_scrutineer(runs):
    year = runs["2022-23"].loaded.year
    partners = {p.organisation: (p.from_, p.until) for p in year.safeguarding_partners}
    assert str(partners["ccg"][1]) == "2022-06-30" and str(partners["nel-icb"][0]) == "2022-07-01"
    scrutineer = next(p for p in year.posts if p.id == "independent-scrutineer")
    assert [(t.person, str(t.from_)) for t in scrutineer.holders] == [("laurelle-brown", "2022-10-01")]
    report = next(d for d in year.documents if d.kind.value == "yearly-report")
    assert report.published is None and report.covers is None
    outcomes = {o.requirement: o.status.value for o in runs["2022-23"].assessment.outcomes}
    assert outcomes["CA04-16G-01"] == "met"


@pytest.mark.parametrize("year", HISTORY)
def test_each_year_checks_from_the_command_line(tmp_path, year):
    from thscp_kg.cli import main

    code = main(["check", str(DATA / f"{year}.yaml"), "--output-dir", str(tmp_path), "--format", "json", "-q",
                 "--no-baseline"])
    assert code in (0, 1)
    assert (tmp_path / "gap-report.json").is_file()


def test_history_files_are_plain_yaml_the_schema_accepts():
    import json

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "schema" / "partnership-year.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    for year in YEARS:
        data = json.loads(json.dumps(yaml.safe_load((DATA / f"{year}.yaml").read_text(encoding="utf-8")), default=str))
        errors = sorted(validator.iter_errors(data), key=str)
        assert errors == [], f"{year}: {errors[0].message if errors else ''}"
