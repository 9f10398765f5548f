"""The law as it stands on 1 December 2026 (issue 15): each correction fails the old behaviour.

The per-requirement pass/fail cases are in tests/requirements/<ID>/ (test_requirements.py). These
tests pin what those cannot: modality and severity (powers never yield a violation), verification
and whether findings fail CI, the rapid review clock start as a profile parameter, the dated
revision of WT2023, the Schedule versioned by date, and the Children's Wellbeing and Schools Act
2026 before and after commencement (look-ahead). Each test's docstring says what the old catalogue
did that it refuses.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess

import pytest

from conftest import REQUIREMENT_FIXTURES, ROOT, run_main
from thscp_kg.pipeline import check_file

PROFILES = ROOT / "tests" / "profiles"


def _run(req_id: str, case: str, profile: str | None = None):
    return check_file(REQUIREMENT_FIXTURES / req_id / case, requirement_ids=[req_id],
                      profile_path=PROFILES / profile if profile else None)


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_main(*args, cwd=ROOT)  # in this process (conftest.run_main); real processes: tests/test_cli.py


# -- 1. Powers ----------------------------------------------------------------------------------
def test_rules_modality_power_lists_the_powers(catalogue):
    """Old: CA04-16I-01 and CA04-16J-01 were MUST/violation; no POWER modality existed."""
    for spelling in ("POWER", "power"):
        r = cli("rules", "--modality", spelling)
        assert r.returncode == 0, r.stderr
        ids = [line.split()[0] for line in r.stdout.splitlines()[:-1]]
        assert ids == ["CA04-16I-01", "CA04-16J-01"], r.stdout
    for req_id in ("CA04-16I-01", "CA04-16J-01"):
        req = catalogue.get(req_id)
        assert (req.modality, req.severity, req.assessment) == ("POWER", "info", "manual")


def test_no_power_yields_a_violation(catalogue, thscp_run):
    from thscp_kg.rules.catalogue import Requirement
    from thscp_kg.findings import Severity
    from thscp_kg.validate.results import cap_power

    powers = [r for r in catalogue.requirements if r.modality == "POWER"]
    assert powers
    entry = powers[0].model_dump(mode="json", exclude={"verification"})
    for source in entry["sources"]:
        source.pop("verification"), source.pop("link")
    with pytest.raises(ValueError, match="a power cannot be breached"):
        Requirement.model_validate(entry | {"severity": "violation", "severity_override_reason": "no"})
    assert all(cap_power(r, Severity.violation) is Severity.info for r in powers)
    outcomes = {o.requirement: o for o in thscp_run.assessment.outcomes}
    for r in powers:
        assert outcomes[r.id].status.value == "to-be-assessed" and outcomes[r.id].modality == "POWER"
    assert not [f for f in thscp_run.assessment.findings if f.requirement in {r.id for r in powers}
                and f.severity is not Severity.info]


def test_html_shows_a_power_as_to_be_assessed_not_as_a_duty(thscp_run):
    from thscp_kg.report import html

    section = html.render(thscp_run.assessment).split('id="to-be-assessed"')[1].split("</section>")[0]
    block = section.split('id="assess-CA04-16I-01"')[1].split("</div>")[0]
    assert "TO BE ASSESSED" in block and "A power" in block and "cannot be breached" in block



def test_terminal_counts_power_findings_apart_from_good_practice(thscp_run):
    """Old: the terminal's info count called every info finding "good practice", a power's included."""
    from thscp_kg.findings import Severity
    from thscp_kg.report import text

    a = thscp_run.assessment
    some = next(f for f in a.open_findings if f.severity is Severity.info)
    power = dataclasses.replace(some, requirement="CA04-16I-01", severity=Severity.info)
    b = dataclasses.replace(a, findings=[*a.findings, power])
    line = next(x for x in text.render(b).splitlines() if x.startswith("Findings:"))
    info = b.counts()["info"]
    assert f"{info - 1} good practice, 1 on powers (to be assessed)" in line
    assert "on powers" not in next(x for x in text.render(a).splitlines() if x.startswith("Findings:"))

# -- 1. CA04-16G-01 as written; the interpretation apart -----------------------------------------
def test_scrutiny_interpretation_is_m_at_warning_and_never_fails_ci(catalogue):
    """Old: a vacant or in-house scrutineer post was a CA04-16G-01 violation that failed CI."""
    interp = catalogue.get("CA04-16G-06")
    assert (interp.modality, interp.severity, interp.verification) == ("MUST", "warning", "M")
    run = _run("CA04-16G-06", "fail.yaml")
    assert run.assessment.findings and all(f.severity.value == "warning" and not f.fails_ci
                                           for f in run.assessment.findings)
    assert _run("CA04-16G-01", "pass-vacant-and-in-house.yaml").assessment.findings == []
    assert catalogue.get("CA04-16G-01").shapes == ["CA04-16G-01-a"]


# -- 1. The rapid review clock start (C, a profile parameter) -----------------------------------
def test_rapid_review_clock_start_is_a_profile_parameter_named_in_the_finding():
    """Old: the clock always started at awareness, the finding did not say so, and the aspect was S."""
    (f,) = _run("WT23-RR-01", "fail-clock-awareness.yaml").assessment.findings
    assert f.shape == "scp-sh:WT23-RR-01-b" and f.due == "2025-02-24" and f.working_days_late == 2
    assert "became aware" in f.message and "'awareness'" in f.message
    assert f.verification == "S/C" and not f.fails_ci   # the contested aspect, not the whole requirement
    other = _run("WT23-RR-01", "fail-clock-awareness.yaml", "rr-clock-notification.yaml")
    assert other.assessment.findings == []
    deadline = next(n for n in other.graph.subjects(None, None) if str(n).endswith("rr-a/deadline/completion"))
    from thscp_kg.namespaces import SCP
    assert "notification was sent" in str(other.graph.value(deadline, SCP.clockStartRule))
    assert str(other.graph.value(deadline, SCP.dueBy)) == "2025-02-28"


def test_rapid_review_findings_without_the_clock_keep_their_status():
    f = next(f for f in _run("WT23-RR-01", "fail.yaml").assessment.findings if f.shape.endswith("-d"))
    assert f.verification == "S"


# -- 1. Verification and class corrections --------------------------------------------------------
def test_transition_deadline_is_secondary_sourced_and_fails_ci(catalogue):
    """Old: WT23-PUB-03 was C, so its findings never failed CI."""
    assert catalogue.get("WT23-PUB-03").verification == "S"
    (f,) = _run("WT23-PUB-03", "fail-late.yaml").assessment.findings
    assert f.verification == "S" and f.fails_ci


def test_practice_review_publication_duty_is_s_and_fails_ci(catalogue):
    """Old: CA04-16F-02 was M: a withheld report with no improvements information never failed CI."""
    assert catalogue.get("CA04-16F-02").verification == "S"
    findings = _run("CA04-16F-02", "fail.yaml").assessment.findings
    assert findings and all(f.severity.value == "violation" and f.fails_ci for f in findings)


def test_regulation_13_is_read_as_removal_of_a_local_reviewer(catalogue):
    """Old: reg 13 was believed to concern the conduct of the review."""
    req = catalogue.get("REG18-13")
    assert "removal" in req.title.lower() and "removing a" in req.question and req.verification == "M"
    assert "conduct of the review" not in req.statement


@pytest.mark.parametrize("req_id,case", [("WT23-YR-05", "fail.yaml"), ("WT18-INFO-01", "fail.yaml")])
def test_local_practice_without_a_source_is_good_practice_at_info(catalogue, req_id, case):
    """Old: WT23-YR-05 (Devon's April-March and 30 September) and WT18-INFO-01 were SHOULD/warning."""
    req = catalogue.get(req_id)
    assert (req.modality, req.severity) == ("GP", "info")
    findings = _run(req_id, case).assessment.findings
    assert findings and all(f.severity.value == "info" for f in findings)


def test_what_works_centre_ceased_on_5_june_2023():
    """Old: ceased_after 2023-06-30 (and national-bodies 'until: 2023-06-30')."""
    from thscp_kg.load.loader import national_bodies
    from thscp_kg.rules.profile import load_profile

    wwcsc = next(b for b in load_profile().profile.documents.former_bodies if b.id == "wwcsc")
    assert wwcsc.ceased_after == dt.date(2023, 6, 5)
    bodies = {b["id"]: b for b in national_bodies()}
    assert str(bodies["wwcsc"]["until"]) == "2023-06-05" and str(bodies["foundations"]["from"]) == "2023-06-06"


def test_wt2023_revision_of_11_june_2025_is_recorded_and_named_in_later_findings():
    """Old: the profile's editions had no revisions; nothing marked findings after 11 June 2025."""
    from thscp_kg.rules.profile import load_profile

    wt23 = load_profile().profile.edition("WT2023")
    assert [r.date.isoformat() for r in wt23.revisions] == ["2024-02-23", "2025-06-11"]
    assert wt23.revisions[-1].verification == "M"
    findings = _run("WT23-YR-06", "fail.yaml").assessment.findings   # published 30 September 2025
    assert findings and all("WT2023 as revised 2025-06-11" in f.edition_basis and "re-check" in f.edition_basis
                            for f in findings)
    before = _run("WT23-NOT-01", "fail.yaml").assessment.findings    # incidents of 2024-25
    assert all("2025-06-11" not in f.edition_basis for f in before)


# -- 2. Citations as data ------------------------------------------------------------------------
def test_every_v_or_s_citation_records_its_url_and_quote(catalogue):
    """Verification is computed from the record: V only from the provision's own text, S from a
    verbatim reproduction; no record is M."""
    for r in catalogue.requirements:
        for s in r.sources:
            if "V" in s.verification or "S" in s.verification:
                assert s.url and s.quote and s.checked, (r.id, s.provision)
            if "V" in s.verification:
                assert s.text == "provision" and "legislation.gov.uk/" in s.url, (r.id, s.provision)
            if s.quote is None:
                assert s.verification.startswith("M"), (r.id, s.provision)


def test_unverified_paragraph_numbers_stay_marked(catalogue):
    adopted = ("para 48", "p.16", "pp.78-79", "p.80")
    for r in catalogue.requirements:
        for s in r.sources:
            if s.instrument.startswith("Working Together"):
                assert "UNVERIFIED" in s.provision or "para 48" in s.provision, (r.id, s.provision)
                numbers = [a for a in adopted if a in s.provision]
                assert all(a in adopted for a in numbers)


def test_reports_link_citations_to_the_real_publication_not_the_placeholder(thscp_run):
    """Old: Working Together citations linked to https://w3id.org/thscp-kg/wt/..., which resolves nowhere."""
    from thscp_kg.report import html, json_report, markdown

    page = html.render(thscp_run.assessment)
    assert 'href="https://w3id.org/' not in page
    assert 'href="https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"' in page
    md = markdown.render(thscp_run.assessment)
    assert "(<https://w3id.org/" not in md and "working-together-to-safeguard-children--2" in md
    data = json_report.to_dict(thscp_run.assessment)   # the JSON keeps the identifier beside the link
    cited = [c for f in data["findings"] for c in f["citations"] if c["instrument"].startswith("Working Together")]
    assert cited and all(c["iri"].startswith("https://w3id.org/thscp-kg/wt/") and c["link"].startswith("https://")
                         and "w3id" not in c["link"] for c in cited)


# -- 3. The Schedule versioned by date ------------------------------------------------------------
def test_an_included_agency_is_judged_against_the_schedule_in_force(tmp_path):
    source = ROOT / "tests" / "law" / "included-cafcass.yaml"
    profile = PROFILES / "schedule-hypothetical-amendment.yaml"
    run = check_file(source, requirement_ids=["CA04-16E-05"], profile_path=profile)
    (f,) = run.assessment.findings   # 2024-25: after the (hypothetical) amendment
    assert (f.shape, f.focus, f.verification, f.fails_ci) == ("scp-sh:CA04-16E-05-b", "organisation/cafcass-local",
                                                              "V/M", False)
    earlier = tmp_path / "included-cafcass.yaml"
    earlier.write_text(source.read_text().replace("{id: 2024-25, start: 2024-04-01, end: 2025-03-31}",
                                                  "{id: 2022-23, start: 2022-04-01, end: 2023-03-31}")
                       .replace("as_of: 2025-06-30", "as_of: 2023-06-30"))
    assert check_file(earlier, requirement_ids=["CA04-16E-05"], profile_path=profile).assessment.findings == []
    assert check_file(source, requirement_ids=["CA04-16E-05"]).assessment.findings == []  # the real profile


# -- 4. The 2026 Act: look-ahead before commencement, checked after ----------------------------
@pytest.mark.parametrize("req_id,short", [("CWSA26-01", "s2"), ("CWSA26-02", "s3")])
def test_cwsa_2026_without_commencement_is_not_yet_in_force_and_in_the_look_ahead(req_id, short):
    run = _run(req_id, "fail.yaml")
    a = run.assessment
    assert a.findings == []
    (outcome,) = a.outcomes
    assert outcome.status.value == "not-yet-in-force"
    (item,) = a.look_ahead
    assert item["short"] == short and item["in_force_from"] is None
    assert [r["requirement"] for r in item["requirements"]] == [req_id]
    from thscp_kg.report import html, markdown

    page = html.render(a)
    section = page.split('id="look-ahead"')[1].split("</section>\n</section>")[0]
    assert f"What changes when {short} commences" in section and f'data-requirement="{req_id}"' in section
    assert "NOT YET IN FORCE" in section
    assert f"### What changes when {short} commences" in markdown.render(a)


@pytest.mark.parametrize("req_id", ["CWSA26-01", "CWSA26-02"])
def test_cwsa_2026_with_commencement_set_is_checked(req_id):
    a = _run(req_id, "fail.yaml", "cwsa-2026-commenced.yaml").assessment
    assert a.findings and a.look_ahead == []
    assert all(f.severity.value == "violation" and f.edition == "CA04" for f in a.findings)
    assert a.outcomes[0].status.value == "not-met" if req_id == "CWSA26-01" else "not-evidenced"


def test_commencement_after_the_period_stays_in_the_look_ahead(tmp_path):
    profile = tmp_path / "later.yaml"
    profile.write_text("extends: default\ncommencement:\n  CWSA2026-s2:\n    in_force_from: 2028-09-01\n")
    a = check_file(REQUIREMENT_FIXTURES / "CWSA26-01" / "fail.yaml", requirement_ids=["CWSA26-01"],
                   profile_path=profile).assessment
    assert a.findings == [] and a.look_ahead[0]["in_force_from"] == "2028-09-01"


def test_thscp_look_ahead_lists_both_sections(thscp_run):
    a = thscp_run.assessment
    assert [i["short"] for i in a.look_ahead] == ["s2", "s3"]
    status = {o.requirement: o.status.value for o in a.outcomes}
    assert status["CWSA26-01"] == status["CWSA26-02"] == "not-yet-in-force"
    from thscp_kg.report.summary import decision_lines
    figure = decision_lines(a)[1]  # the compliance figure says what it leaves out, the look-ahead included
    assert "2 not yet in force (look-ahead)" in figure


def test_the_data_format_records_designated_agencies_and_teams():
    from thscp_kg.model import ChildProtectionTeam, Organisation, PartnershipYear

    assert "designated_childcare_or_education" in Organisation.model_fields
    assert PartnershipYear.model_fields["multi_agency_teams"].annotation == list[ChildProtectionTeam]
    assert "scrutiny_arrangements" in PartnershipYear.model_fields


# -- 5. The law-change workflow ------------------------------------------------------------------
def test_rules_changed_since_lists_what_changed(catalogue):
    r = cli("rules", "--changed-since", "2026-12-01")
    assert r.returncode == 0, r.stderr
    ids = {line.split()[0] for line in r.stdout.splitlines() if line and not line.startswith((" ", "profile:"))}
    assert {"CA04-16I-01", "CA04-16G-01", "CWSA26-01", "WT23-NOT-03"} <= ids and "GOV-06" not in ids
    assert "[modality, severity] Modality MUST → POWER" in r.stdout
    assert cli("rules", "--changed-since", "2099-01-01").stdout.strip().endswith("0 requirement(s) changed since 2099-01-01")
    assert cli("rules", "--changed-since", "1 Dec").returncode == 2
    assert cli("rules", "--hashes").returncode == 0


def test_requirements_md_carries_the_changelog():
    text = (ROOT / "reports" / "requirements.md").read_text()
    assert "## Changes to the catalogue" in text and "| 2026-12-01 | CA04-16I-01 |" in text


def test_thscp_outcomes_are_the_same_in_file_and_report_views(thscp_run):
    """The look-ahead does not change any finding: THSCP's bundled check still exits 1."""
    a = thscp_run.assessment
    assert a.failing("violation")
    assert dataclasses.replace(a, look_ahead=[]).counts() == a.counts()
