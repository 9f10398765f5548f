"""The people's side: a person's judgements, the action plan and the sign-off record
(thscp_kg/load/people.py, thscp_kg/report/people.py, thscp-kg sign, new-year carrying actions)."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, THSCP_2023_24, copy_thscp, with_icb_holder

from thscp_kg.cli import main

FIXTURES = ROOT / "tests" / "people"


@pytest.fixture(scope="module")
def people_run():
    from thscp_kg.pipeline import check_file
    return check_file(THSCP_2023_24, people_dir=FIXTURES, display="data/tower-hamlets/2023-24.yaml")


@pytest.fixture(scope="module")
def people_html(people_run):
    from thscp_kg.report import html
    return html.render(people_run.assessment)


def _by_requirement(run, req):
    return next(x for x in run.assessment.people_side["assessments"] if x["requirement"] == req)


def test_an_assessment_is_shown_as_made_by_a_person_with_name_and_date(people_run, people_html):
    x = _by_requirement(people_run, "CA04-16I-01")
    assert x["assessor"] == "Laurelle Brown, Independent Scrutineer" and x["date"] == "2024-06-10"
    assert not x["stale"] and not x["challenge"]
    assert ("Assessed by a person: <strong>Laurelle Brown, Independent Scrutineer</strong>, 10 June 2024 — "
            "judgement <strong>MET</strong>") in people_html
    assert "Learning from reviews" in people_html  # its evidence, with the source's title
    assert "Judged by a person:</strong> 1 met, 0 not met, 1 cannot tell (1 stale, older than the year)" in people_html


def test_a_judgement_made_before_the_year_began_is_stale(people_run, people_html):
    x = _by_requirement(people_run, "REG18-12")
    assert x["stale"] and x["date"] == "2022-11-01"
    block = people_html[people_html.index('id="assess-REG18-12"'):]
    block = block[:block.index("</div>\n  </div>") if "</div>\n  </div>" in block else 2000]
    assert "stale: made before the year began" in block


def test_a_challenge_to_an_automated_check_is_shown_with_the_met_requirement(people_run, people_html):
    x = _by_requirement(people_run, "WT23-YR-03")
    assert x["challenge"]
    met = people_html[people_html.index('data-requirement="WT23-YR-03"'):]
    assert "Challenged by a person: <strong>Laurelle Brown" in met[:3000]


def test_actions_show_overdue_done_and_carried_for_this_year_only(people_run, people_html):
    actions = {x["id"]: x for x in people_run.assessment.people_side["actions"]}
    assert set(actions) == {"record-publication", "chair-data-group", "dashboard-refresh"}
    assert actions["record-publication"]["state_key"] == "overdue"   # due 30 June, as of 24 July 2024
    assert actions["record-publication"]["state"] == "overdue (24 days)"
    assert actions["chair-data-group"]["state_key"] == "done"
    assert actions["dashboard-refresh"]["carried_from"] == "2022-23"
    assert '<tr id="action-record-publication" data-state="overdue">' in people_html
    assert "1 overdue</span>, 1 open, 1 done, 1 carried from last year" in people_html
    # a page-one item answered by an action links to it
    assert 'action <a href="#action-chair-data-group">chair-data-group</a>' in people_html


def test_a_duty_a_person_judges_not_met_makes_the_report_not_ready(people_run):
    import dataclasses

    from thscp_kg.report.decision import verdict
    a = people_run.assessment
    assert verdict(a) == "conditions"

    def judged_not_met(req_id):
        return dict(a.people_side, assessments=[dict(x, judgement_key="not-met", stale=False)
                                                if x["requirement"] == req_id else x
                                                for x in a.people_side["assessments"]])
    assert verdict(dataclasses.replace(a, people_side=judged_not_met("REG18-12"))) == "not-ready"   # a duty
    # CA04-16I-01 is a power ("may"; issue 15): a person judging its question not met is no breach.
    assert verdict(dataclasses.replace(a, people_side=judged_not_met("CA04-16I-01"))) == "conditions"


def _copy_year(tmp_path, held: bool = False):
    """A copy of THSCP 2023-24; ``held``: with a (fictional) holder of the lead partner's post
    icb-chief-executive, which THSCP records as vacant and a vacant post cannot sign."""
    path = copy_thscp(tmp_path / "tower-hamlets")
    if held:
        path.write_text(with_icb_holder(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path.parent


def _check(folder, out) -> dict:
    assert main(["check", str(folder / "2023-24.yaml"), "--output-dir", str(out), "--format", "json,html",
                 "-q", "--no-baseline"]) == 1
    return json.loads((out / "gap-report.json").read_text())


def test_a_sign_off_matches_until_the_data_changes(tmp_path, capsys):
    folder = _copy_year(tmp_path, held=True)
    assert main(["sign", str(folder / "2023-24.yaml"), "--by", "icb-chief-executive", "--date", "2024-07-20"]) == 0
    record = (folder / "signoffs.yaml").read_text()
    assert "signer: icb-chief-executive" in record and "date: 2024-07-20" in record
    first = _check(folder, tmp_path / "one")
    [signed] = first["people"]["signoffs"]
    assert signed["matches"] and signed["hash"] == first["people"]["content_hash"]
    assert f"report_hash: {signed['hash']}" in record
    # Same data, same hash: run again.
    assert _check(folder, tmp_path / "two")["people"]["content_hash"] == signed["hash"]
    # The data changes (a group's chair is no longer recorded): the signed report no longer matches.
    data = folder / "2023-24.yaml"
    text = data.read_text()
    assert "    chair: independent-scrutineer\n" in text
    data.write_text(text.replace("    chair: independent-scrutineer\n", "", 1))
    changed = _check(folder, tmp_path / "three")
    [after] = changed["people"]["signoffs"]
    assert not after["matches"] and after["hash"] == signed["hash"] != changed["people"]["content_hash"]
    html = (tmp_path / "three" / "gap-report.html").read_text()
    assert "NO LONGER MATCHES" in html and "made against an earlier version of this report" in html
    # Signing again replaces that partner's sign-off for the year rather than adding a second.
    assert main(["sign", str(data), "--by", "icb-chief-executive", "--date", "2024-07-22"]) == 0
    assert (folder / "signoffs.yaml").read_text().count("signer: icb-chief-executive") == 1


def test_only_a_lead_safeguarding_partner_can_sign(tmp_path, capsys):
    folder = _copy_year(tmp_path)
    assert main(["sign", str(folder / "2023-24.yaml"), "--by", "independent-scrutineer", "--date", "2024-07-20"]) == 2
    err = capsys.readouterr().err.strip()
    assert "'independent-scrutineer' is not a lead safeguarding partner" in err and "\n" not in err
    assert not (folder / "signoffs.yaml").exists()


def test_a_lead_partners_post_nobody_held_cannot_sign(tmp_path, capsys):
    """THSCP records no holder of icb-chief-executive: no one signed as it (issue 14 #18, as for waivers)."""
    folder = _copy_year(tmp_path)
    assert main(["sign", str(folder / "2023-24.yaml"), "--by", "icb-chief-executive", "--date", "2024-07-20"]) == 2
    err = capsys.readouterr().err.strip()
    assert "the post 'icb-chief-executive' had no holder for certain on 2024-07-20" in err and "Fix:" in err and "\n" not in err
    assert not (folder / "signoffs.yaml").exists()


def test_a_post_whose_holder_began_in_a_month_signs_only_once_they_surely_held_it(tmp_path, capsys):
    """Ashcombe (not shaped like THSCP): county-lsp is held from "2023-11", a month only."""
    folder = tmp_path / "ashcombe"
    shutil.copytree(ROOT / "tests" / "partnerships" / "ashcombe", folder)
    data = folder / "2022-23.yaml"
    assert main(["sign", str(data), "--by", "county-lsp", "--date", "2023-11-15"]) == 2
    assert "had no holder for certain on 2023-11-15" in capsys.readouterr().err
    assert not (folder / "signoffs.yaml").exists()
    assert main(["sign", str(data), "--by", "county-lsp", "--date", "2023-12-01"]) == 0
    assert "signer: county-lsp\n    date: 2023-12-01" in (folder / "signoffs.yaml").read_text()


def test_a_recorded_sign_off_by_a_vacant_post_is_bad_input_at_its_line(tmp_path, capsys):
    folder = _copy_year(tmp_path)
    (folder / "signoffs.yaml").write_text("signoffs:\n  - period: 2023-24\n    signer: icb-chief-executive\n"
                                          "    date: 2024-07-20\n    report_hash: sha256:" + "0" * 64 + "\n")
    out = tmp_path / "out"
    assert main(["check", str(folder / "2023-24.yaml"), "--output-dir", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert ("signoffs.yaml:3: signoff 1: the signer's post 'icb-chief-executive' had no holder for certain on 2024-07-20"
            in err) and "Fix:" in err and "\n" not in err
    assert not out.exists(), "nothing is written"
    # The same record is accepted once the post's holder is recorded.
    data = folder / "2023-24.yaml"
    data.write_text(with_icb_holder(data.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["check", str(data), "--output-dir", str(out), "-q", "--format", "json", "--no-baseline"]) == 1
    [signed] = json.loads((out / "gap-report.json").read_text())["people"]["signoffs"]
    assert signed["signer_id"] == "icb-chief-executive" and signed["date"] == "2024-07-20"
    assert not signed["matches"]   # signed against another report (the hash of zeros)


@pytest.mark.parametrize("name,text,expected", [
    ("assessments.yaml", "assessments:\n  - requirement: CA04-16I-01\n    judgement: yes\n    rationale: ten letters or more\n"
     "    assessor: independent-scrutineer\n    date: 2024-06-10\n",
     "assessments.yaml:3: assessments file: 'True' is not a valid value for 'judgement'"),
    ("assessments.yaml", "assessments:\n  - requirement: CA04-16I-01\n    judgement: met\n    rationale: ten letters or more\n"
     "    assessor: nobody-here\n    date: 2024-06-10\n",
     "assessments.yaml:5: assessment 1: assessor 'nobody-here' is not a post or person"),
    ("actions.yaml", "actions:\n  - id: a\n    period: 2023-24\n    action: Do it\n    owner: thscp-manager\n"
     "    due: 2024-06-31\n", "actions.yaml:6:"),
    ("signoffs.yaml", "signoffs:\n  - period: 2023-24\n    signer: icb-chief-executive\n    date: 2024-07-20\n"
     "    report_hash: abc\n", "signoffs.yaml:5: signoffs file: 'abc' is not a valid value for 'report_hash'"),
])
def test_a_bad_people_file_is_one_line_with_file_and_line_and_exit_2(tmp_path, capsys, name, text, expected):
    folder = _copy_year(tmp_path)
    (folder / name).write_text(text)
    out = tmp_path / "out"
    assert main(["check", str(folder / "2023-24.yaml"), "--output-dir", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and "Fix:" in err and "\n" not in err and "Traceback" not in err
    assert not out.exists(), "nothing is written"


def test_new_year_carries_the_actions_not_done(tmp_path, capsys):
    folder = _copy_year(tmp_path)
    shutil.copy(FIXTURES / "actions.yaml", folder / "actions.yaml")
    assert main(["new-year", str(folder / "2023-24.yaml"), "2024-25"]) == 0
    from thscp_kg.load.people import read_records
    records = read_records(folder / "actions.yaml", "actions")[0]
    new = {r.id: r for r in records if r.period == "2024-25"}
    assert set(new) == {"record-publication", "dashboard-refresh", "next-year-only"}
    assert new["record-publication"].carried_from == "2023-24"
    assert new["dashboard-refresh"].carried_from == "2022-23"   # carried before: keeps where it began
    assert new["next-year-only"].carried_from is None
    assert sum(1 for r in records if r.period == "2023-24") == 3, "the old year's plan stays as it was"
    assert "Carried 2 action(s)" in capsys.readouterr().out


def test_report_files_are_written_with_the_users_umask(tmp_path):
    """Not 0600 (tempfile's default): with umask 022 a report is 0644, with 027 it is 0640."""
    import os
    import stat

    from thscp_kg.output import write_all
    old = os.umask(0o022)
    try:
        write_all({tmp_path / "a.txt": "x"})
        os.umask(0o027)
        write_all({tmp_path / "b.txt": "x"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o640
