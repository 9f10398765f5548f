"""Synthetic partnership-years in thscp-kg's own YAML format, with a known set of injected gaps.

    python bench/generate.py OUT_DIR PARTNERSHIPS YEARS [--seed 42] [--no-gaps]

writes ``OUT_DIR/<partnership>/<period>.yaml`` (the layout of ``data/``) and
``OUT_DIR/manifest.json``. Each file is a complete, plausible partnership-year: three or four
statutory partners, relevant agencies (education and the voluntary sector among them), lead and
delegated posts with holders, an executive with sub-groups, linked boards, priorities, published
arrangements, a yearly report with its sections, sign-offs and submissions, the funding, and
serious incidents with their rapid and practice reviews. Every fact carries evidence.

A clean file gives no finding at all. Gaps are injected deterministically (seeded), a few per
file, each of a kind in ``GAPS``; the manifest lists, per file, the gaps and the exact findings
(requirement, shape, focus) the checker must report for them. So a run over the generated files
can assert the finding counts, not just time them.

Years run from 2019-20 onwards (the first WT2018-era year with published arrangements); from
2023-24 the report falls under WT2023, whose recipients and sign-off rules differ, so both
editions are exercised. Nothing here is real: names are "Synthetic Partnership 007" and so on.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

FIRST_YEAR = 2019
WT2023_FROM = 2023  # period 2023-24 onwards: report published after 15 Dec 2023

AGENCIES = [  # (id, name, kind, schedule category)
    ("acute-trust", "Acute Hospitals NHS Trust", "relevant-agency", "health-and-social-care"),
    ("community-trust", "Community Health NHS Trust", "relevant-agency", "health-and-social-care"),
    ("probation", "Probation Service", "relevant-agency", "criminal-justice"),
    ("yjs", "Youth Justice Service", "relevant-agency", "criminal-justice"),
    ("cafcass", "Cafcass", "relevant-agency", "miscellaneous"),
    ("fire", "Fire and Rescue Service", "relevant-agency", "miscellaneous"),
    ("schools", "Schools and colleges", "education", "education-and-childcare"),
    ("vcs", "Voluntary and community sector", "voluntary-sector", None),
]

# Each gap kind: what is changed, and the findings it gives (requirement, shape, focus).
# {year} is the period id, {report} the yearly report's id. Findings may depend on the edition
# governing the year, or on the period itself (a key like "2023-24"). Some kinds apply to one edition.
GAPS = {
    "missing-lsp-sign-off": {
        "what": "the police lead safeguarding partner did not sign the yearly report (WT2023)",
        "editions": ["WT2023"],
        "findings": [("WT23-YR-04", "WT23-YR-04-a", "document/{report}")],
    },
    "late-report-sending": {
        "what": "the yearly report reached the national Panel 21 days after publication",
        "editions": ["WT2018", "WT2023"],
        "findings": {"WT2018": [("WT18-YR-03", "WT18-YR-03-b", "document/{report}")],
                     "WT2023": [("WT23-YR-06", "WT23-YR-06-b", "document/{report}")]},
    },
    "missing-police-partner": {
        "what": "the police force is not recorded as a safeguarding partner",
        "editions": ["WT2018", "WT2023"],
        "findings": [("CA04-16E-03", "CA04-16E-03-d", "year/{year}")],
    },
    "late-publication": {
        "what": "the yearly report was published more than 12 months after the previous one",
        "editions": ["WT2018", "WT2023"],
        "findings": [("CA04-16G-03", "CA04-16G-03-d", "document/{report}")],
    },
    "missing-contribution": {
        "what": "the (first) local authority made no funding contribution",
        "editions": ["WT2018", "WT2023"],
        "findings": {"WT2018": [("WT18-FUND-01", "WT18-FUND-01", "year/{year}")],
                     "WT2023": [("WT23-FUND-01", "WT23-FUND-01-a", "year/{year}")],
                     # 2023-24 straddles WT2023's publication (15 Dec 2023): the funding rules of both apply
                     "2023-24": [("WT18-FUND-01", "WT18-FUND-01", "year/{year}"),
                                 ("WT23-FUND-01", "WT23-FUND-01-a", "year/{year}")]},
    },
}


def ev(section: str) -> list[dict]:
    return [{"source": "annual-report", "section": section}]


def _date(y: int, m: int, d: int) -> str:
    return dt.date(y, m, d).isoformat()


def partnership_year(p: int, year: int, gaps: list[str] = ()) -> dict:
    """One partnership-year as the data format's dict. ``year`` is the period's first year."""
    rnd = random.Random(p * 1000 + year)
    pid = f"synth-{p:03d}"
    period = f"{year}-{(year + 1) % 100:02d}"
    wt23 = year >= WT2023_FROM
    areas = [{"id": "area-north", "name": f"North {p:03d}", "evidence": ev("Introduction")}]
    councils = ["council-north"]
    if p % 3 == 2:  # one in three covers two areas (p=2 is one, so the parity test sees the shape)
        areas.append({"id": "area-south", "name": f"South {p:03d}", "evidence": ev("Introduction")})
        councils.append("council-south")
    area_ids = [a["id"] for a in areas]
    orgs = [{"id": c, "name": f"{c.split('-')[1].title()} {p:03d} Council", "kind": "local-authority",
             "areas": [c.replace("council", "area")], "evidence": ev("Introduction")} for c in councils]
    orgs.append({"id": "icb", "name": f"NHS Integrated Care Board {p // 4:03d}", "kind": "integrated-care-board",
                 "areas": area_ids, "from": "2022-07-01", "evidence": ev("Introduction")})
    if year <= 2022:  # before 1 July 2022 the health partner was a CCG
        orgs.append({"id": "ccg", "name": f"NHS Clinical Commissioning Group {p:03d}",
                     "kind": "clinical-commissioning-group", "areas": area_ids, "until": "2022-06-30",
                     "evidence": ev("Introduction")})
    orgs.append({"id": "police", "name": f"Police Force {p // 3:03d}", "kind": "police", "areas": area_ids,
                 "evidence": ev("Introduction")})
    for aid, name, kind, category in AGENCIES:
        org = {"id": aid, "name": name, "kind": kind, "areas": area_ids, "evidence": ev("Relevant agencies")}
        if category:  # only a kind in the Schedule to SI 2018/789 can be an included relevant agency (CA04-16E-05)
            org.update({"schedule_category": category, "included_in_arrangements": True,
                        "inclusion_notified": "2019-06-15"})
        orgs.append(org)
    health = "icb" if year >= 2022 else "ccg"
    # A year that straddles 1 July 2022 has both: the CCG until 30 June, the ICB from 1 July.
    partners = councils + (["ccg", "icb"] if year == 2022 else [health]) + ["police"]
    if "missing-police-partner" in gaps:
        partners.remove("police")
    sps = []
    for o in partners:
        sp = {"organisation": o, "evidence": ev("Introduction")}
        if year == 2022 and o in ("ccg", "icb"):
            sp["until" if o == "ccg" else "from"] = "2022-06-30" if o == "ccg" else "2022-07-01"
        sps.append(sp)

    people, posts = [], []

    def person(pid_: str, name: str) -> str:
        people.append({"id": pid_, "name": name, "evidence": ev("Introduction")})
        return pid_

    def post(post_id: str, title: str, org: str | None, role: str, for_partner: str | None = None,
             holder: str | None = None, since: str | None = None) -> str:
        item = {"id": post_id, "title": title, "role": role, "holders": [], "evidence": ev("Introduction")}
        if org:
            item["organisation"] = org
        if for_partner:
            item["for_partner"] = for_partner
        if holder:
            tenure = {"person": holder, "evidence": ev("Introduction")}
            if since:
                tenure["from"] = since
            item["holders"].append(tenure)
        posts.append(item)
        return post_id

    lead_posts, delegate_posts = {}, {}
    for o in [*councils, health, "police"] + (["ccg"] if year == 2022 else []):
        if o in lead_posts:
            continue
        title = {"police": "Chief Constable", "icb": "Chief Executive", "ccg": "Accountable Officer"}.get(
            o, "Chief Executive")
        lead_posts[o] = post(f"{o}-lead", title, o, "lead-safeguarding-partner", o,
                             person(f"{o}-lead-person", f"Lead {o} {p:03d}"))
        delegate_posts[o] = post(f"{o}-delegate", "Director" if o.startswith("council") else "Deputy",
                                 o, "delegated-safeguarding-partner", o,
                                 person(f"{o}-delegate-person", f"Delegate {o} {p:03d}"))
    scrutineer = post("independent-scrutineer", "Independent Scrutineer", None, "independent-scrutineer",
                      holder=person("scrutineer-person", f"Scrutineer {p:03d}"), since=_date(FIRST_YEAR, 4, 1))
    manager = post("business-manager", "Partnership Business Manager", councils[0], "business-unit",
                   holder=person("manager-person", f"Manager {p:03d}"))
    chair_post = delegate_posts[councils[0]]
    chairs = {gid: post(f"{gid}-chair", title, org, "other", holder=person(f"{gid}-chair-person", f"Chair {gid} {p:03d}"))
              for gid, title, org in [("quality-assurance", "Head of Quality Assurance", councils[0]),
                                      ("learning", "Designated Nurse", "community-trust"),
                                      ("training", "Head of Training", councils[0]),
                                      ("exploitation", "Detective Superintendent", "police")]}

    exec_members = list(delegate_posts.values())
    groups = [{"id": "executive", "name": "Executive Group", "kind": "executive",
               "purpose": "Sets the partnership's priorities and holds partners to account.",
               "chair": chair_post, "member_organisations": list(dict.fromkeys(partners + ["schools"])),
               "member_posts": exec_members, "evidence": ev("Governance")}]
    for gid, name in [("quality-assurance", "Quality Assurance Group"), ("learning", "Learning and Review Group"),
                      ("training", "Training Group"), ("exploitation", "Exploitation Group")]:
        groups.append({"id": gid, "name": name, "kind": "sub-group", "purpose": f"{name} of the partnership.",
                       "reports_to": "executive", "chair": chairs[gid],
                       "member_organisations": ["schools", "vcs", "acute-trust"],
                       "member_posts": [manager], "evidence": ev("Governance")})
    boards = [{"id": "adults-board", "name": f"Safeguarding Adults Board {p:03d}", "kind": "safeguarding-adults-board",
               "statutory": True, "link": "Joint priority on transitions; the chairs meet each quarter.",
               "evidence": ev("Governance")},
              {"id": "hwb", "name": f"Health and Wellbeing Board {p:03d}", "kind": "health-and-wellbeing-board",
               "statutory": True, "link": "Receives the yearly report and the needs assessment.",
               "evidence": ev("Governance")},
              {"id": "csp", "name": f"Community Safety Partnership {p:03d}", "kind": "community-safety-partnership",
               "statutory": True, "link": "Shared exploitation strategy; joint reviews of serious violence.",
               "evidence": ev("Governance")},
              {"id": "cfp", "name": f"Children and Families Partnership {p:03d}",
               "kind": "children-and-families-partnership", "statutory": False,
               "link": "Early help strategy and the children and young people's plan.",
               "evidence": ev("Governance")}]
    priorities = [{"id": pr, "name": pr.replace("-", " ").title(), "lead_organisation": lead,
                   "delivered_by": grp, "evidence": ev("Priorities")}
                  for pr, lead, grp in [("neglect", councils[0], "quality-assurance"),
                                        ("exploitation", "police", "exploitation"),
                                        ("infant-safety", health, "learning")]]

    # Documents: arrangements (revised for the edition in force), the yearly report, thresholds.
    arr_topics = ["partner-details", "geographical-area", "working-together", "needs-identification",
                  "practice-review-arrangements", "independent-scrutiny", "relevant-agencies",
                  "education-inclusion", "youth-custody-and-residential", "data-and-intelligence", "training",
                  "threshold-alignment", "information-requests", "dispute-resolution"]
    if wt23:
        arr_topics += ["lead-and-delegated-partners", "partnership-chair", "funding", "scrutiny-plan",
                       "voice-of-children-and-families"]
    arr_published = "2024-11-01" if wt23 else _date(year, 9, 1)  # revised for WT2023 before the deadline
    arrangements = {"id": "arrangements", "kind": "arrangements",
                    "title": f"Multi-agency safeguarding arrangements {period}",
                    "published": arr_published, "url": f"https://example.org/{pid}/arrangements",
                    "first_published": "2019-06-01", "implemented": "2019-09-01",
                    "last_reviewed": _date(year + 1, 6, 1), "revised_for": "WT2023" if wt23 else "WT2018",
                    "sections": [{"topic": t, "evidence": ev("Arrangements")} for t in arr_topics],
                    "sign_offs": [{"post": lp, "date": _date(year, 8, 20), "evidence": ev("Arrangements")}
                                  for lp in lead_posts.values()],
                    "evidence": ev("Arrangements")}
    report_topics = ["activity", "effectiveness", "practice-reviews", "impact-evidence", "progress-gaps",
                     "review-actions", "child-family-feedback", "priorities", "learning", "improvement",
                     "funding", "scrutiny-findings", "training", "plan-for-next-year"]
    prev_published = dt.date(year, 9, 10 + p % 15)  # same day each year: exactly 12 months apart
    if "late-publication" in gaps:  # the previous report came out early, so this one is over 12 months later
        prev_published = dt.date(year, 8, 1)
    published = dt.date(year + 1, 9, 10 + p % 15)
    recipients = ["national-panel", "dfe"] if wt23 else ["national-panel", "foundations" if year >= 2023 else "wwcsc"]
    submissions = []
    for i, r in enumerate(recipients):
        delay = 21 if (r == "national-panel" and "late-report-sending" in gaps) else 2 + i
        submissions.append({"recipient": r, "sent": (published + dt.timedelta(days=delay)).isoformat(),
                            "evidence": ev("Report")})
    signers = list(lead_posts.values()) + [scrutineer]
    if "missing-lsp-sign-off" in gaps:
        signers.remove(lead_posts["police"])
    report_id = f"annual-report-{period}"
    report = {"id": report_id, "kind": "yearly-report", "title": f"Synthetic {p:03d} Annual Report {period}",
              "covers": {"start": _date(year, 4, 1), "end": _date(year + 1, 3, 31)},
              "published": published.isoformat(), "url": f"https://example.org/{pid}/annual-report-{period}",
              "accessible_version": True, "contributors": [scrutineer],
              "reports_on": [f"cspr-{year}-1"],
              "sections": [{"topic": t, "heading": t.replace("-", " ").title(), "evidence": ev("Contents")}
                           for t in report_topics],
              "sign_offs": [{"post": s, "date": (published - dt.timedelta(days=10)).isoformat(),
                             "evidence": ev("Foreword")} for s in signers],
              "submissions": submissions, "evidence": ev("Report")}
    def signed(day: str) -> list[dict]:
        return [{"post": lp, "date": day, "evidence": ev("Foreword")} for lp in lead_posts.values()]

    thresholds = {"id": "thresholds", "kind": "threshold-document", "title": "Threshold document",
                  "published": _date(year, 6, 1), "sign_offs": signed(_date(year, 5, 20)), "evidence": ev("Thresholds")}
    plan = {"id": "scrutiny-plan", "kind": "scrutiny-plan", "title": f"Independent scrutiny plan {period}",
            "published": _date(year, 5, 1), "sign_offs": signed(_date(year, 4, 20)), "evidence": ev("Scrutiny")}
    budget = {"id": "budget", "kind": "budget", "title": f"Shared partnership budget {period}",
              "published": _date(year, 4, 1), "sign_offs": signed(_date(year, 3, 20)), "evidence": ev("Funding")}
    documents = [arrangements, report, thresholds, plan, budget]

    amounts = {c: 60000 + rnd.randrange(40) * 1000 for c in councils}
    amounts[health] = 40000 + rnd.randrange(20) * 1000
    amounts["police"] = 10000 + rnd.randrange(10) * 1000
    if year == 2022:
        amounts["ccg"] = 10000  # the first quarter, before the ICB took over
    if "missing-contribution" in gaps:
        amounts.pop(councils[0])
    contributions = [{"contributor": c, "amount": {"amount": a, "currency": "GBP"}, "evidence": ev("Funding")}
                     for c, a in amounts.items()]
    total = sum(amounts.values())
    funding = {"financial_year": period, "contributions": contributions,
               "expenditure": [{"item": "Business unit", "amount": {"amount": total - 20000, "currency": "GBP"},
                                "evidence": ev("Funding")},
                               {"item": "Independent scrutiny", "amount": {"amount": 20000, "currency": "GBP"},
                                "evidence": ev("Funding")}],
              "stated_income_total": {"amount": total, "currency": "GBP"},
              "stated_expenditure_total": {"amount": total, "currency": "GBP"}, "evidence": ev("Funding")}

    incidents, rapid, practice = [], [], []
    start = dt.date(year, 4, 7)
    for i in range(2 + rnd.randrange(3)):
        aware = start + dt.timedelta(days=40 * i + rnd.randrange(20))
        while aware.weekday() >= 5:
            aware += dt.timedelta(days=1)
        notified = aware + dt.timedelta(days=1)
        while notified.weekday() >= 5:
            notified += dt.timedelta(days=1)
        iid = f"incident-{i + 1}"
        incidents.append({"id": iid, "la_aware": aware.isoformat(), "outcome": "serious-harm",
                          "abuse_or_neglect": "suspected", "meets_notification_criteria": True,
                          "notified": notified.isoformat(), "notified_to": ["national-panel"],
                          "partners_told": notified.isoformat(), "evidence": ev("Reviews")})
        done = aware + dt.timedelta(days=14)
        rid = f"rr-{i + 1}"
        initiate = i == 0
        rapid.append({"id": rid, "incident": iid, "completed": done.isoformat(),
                      "sent_to_panel": (done + dt.timedelta(days=1)).isoformat(),
                      "criteria_considered": ["a", "b", "c", "d"], "immediate_action_considered": True,
                      "learning_identified": initiate,
                      "decision": "initiate" if initiate else "do-not-initiate",
                      "decision_date": done.isoformat(),
                      "decision_rationale": "Learning for the partnership" if initiate else "Learning already known",
                      "evidence": ev("Reviews")})
        if initiate:
            decided = done
            finished = decided + dt.timedelta(days=150)
            practice.append({"id": f"cspr-{year}-{i + 1}", "title": f"Practice review {year}-{i + 1}",
                             "decided": decided.isoformat(), "completed": finished.isoformat(),
                             "published": (finished + dt.timedelta(days=20)).isoformat(),
                             "status": "published", "rapid_review": rid,
                             "sent_to_panel": (finished + dt.timedelta(days=5)).isoformat(),
                             "sent_to_secretary_of_state": (finished + dt.timedelta(days=5)).isoformat(),
                             "still_online": True,
                             "progress_checks": [{"date": (decided + dt.timedelta(days=60)).isoformat(),
                                                  "aspects": ["time", "quality"], "evidence": ev("Reviews")}],
                             "information_requests": [{"date": (decided + dt.timedelta(days=30)).isoformat(),
                                                       "in_writing": True, "evidence": ev("Reviews")}],
                             "evidence": ev("Reviews")})

    return {
        "schema_version": 1,
        "partnership": {"id": pid, "name": f"Synthetic Partnership {p:03d}", "short_name": f"SP{p:03d}",
                        "areas": areas, "evidence": ev("Introduction"),
                        # Two areas as one (s16J): a host council and the agreement (CA04-16J-02).
                        **({"host_authority": councils[0],
                            "agreement": {"title": f"Synthetic {p:03d} joint arrangements agreement",
                                          "date": "2019-06-01", "evidence": ev("Introduction")}}
                           if len(councils) > 1 else {})},
        "period": {"id": period, "start": _date(year, 4, 1), "end": _date(year + 1, 3, 31)},
        "as_of": _date(year + 1, 12, 31),
        "sources": [{"id": "annual-report", "title": f"Synthetic {p:03d} Annual Report {period} (generated)"}],
        "organisations": orgs,
        "safeguarding_partners": sps,
        "people": people,
        "posts": posts,
        "groups": groups,
        "linked_boards": boards,
        "priorities": priorities,
        "documents": documents,
        "previous_report": {"title": f"Synthetic {p:03d} Annual Report {year - 1}-{year % 100:02d}",
                            "published": prev_published.isoformat(), "evidence": ev("Introduction")},
        "funding": funding,
        "serious_incidents": incidents,
        "rapid_reviews": rapid,
        "practice_reviews": practice,
        "activity_counts": [{"measure": "rapid-reviews", "value": len(rapid), "evidence": ev("Reviews")},
                            {"measure": "practice-reviews", "value": len(practice), "evidence": ev("Reviews")}],
        "data_sets": [{"id": "dataset", "name": "Multi-agency dataset", "owner_group": "quality-assurance",
                       "frequency": "quarterly", "contributors": 8, "disaggregated_by": ["age", "ethnicity"],
                       "evidence": ev("Data")}],
    }


def edition(year: int) -> str:
    return "WT2023" if year >= WT2023_FROM else "WT2018"


def expected_findings(gap: str, year: int) -> list[dict]:
    period = f"{year}-{(year + 1) % 100:02d}"
    spec = GAPS[gap]["findings"]
    rows = (spec.get(period) or spec[edition(year)]) if isinstance(spec, dict) else spec
    return [{"requirement": r, "shape": s,
             "focus": f.format(year=period, report=f"annual-report-{period}")} for r, s, f in rows]


def plan(partnerships: int, years: int, seed: int = 42, gaps: bool = True) -> list[dict]:
    """Which files get which gaps: every kind at least once (first eligible file), then ~1 in 3 files."""
    rnd = random.Random(seed)
    files = [{"partnership": p, "year": FIRST_YEAR + y, "gaps": []}
             for p in range(1, partnerships + 1) for y in range(years)]
    if not gaps:
        return files
    kinds = sorted(GAPS)
    for kind in kinds:  # each kind once, in the first file whose edition it applies to
        for f in files:
            if edition(f["year"]) in GAPS[kind]["editions"] and kind not in f["gaps"]:
                f["gaps"].append(kind)
                break
    for f in files[1:]:
        if rnd.random() < 0.35:
            eligible = [k for k in kinds if edition(f["year"]) in GAPS[k]["editions"] and k not in f["gaps"]]
            if eligible:
                f["gaps"].append(rnd.choice(eligible))
    return files


def dump_yaml(data: dict) -> str:
    import yaml

    # libyaml's emitter when PyYAML has it: the same text as the Python one, ~5x faster (1,500 files)
    class NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # our loader refuses anchors and aliases
        def ignore_aliases(self, data):
            return True

    return yaml.dump(data, Dumper=NoAliases, sort_keys=False, allow_unicode=True, width=120)


def write(out: Path, partnerships: int, years: int, seed: int = 42, gaps: bool = True) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"partnerships": partnerships, "years": years, "seed": seed, "files": []}
    for f in plan(partnerships, years, seed, gaps):
        data = partnership_year(f["partnership"], f["year"], f["gaps"])
        rel = Path(data["partnership"]["id"]) / f"{data['period']['id']}.yaml"
        (out / rel.parent).mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(dump_yaml(data), encoding="utf-8")
        manifest["files"].append({"file": rel.as_posix(), "gaps": sorted(f["gaps"]),
                                  "expected": sorted((e for g in f["gaps"] for e in expected_findings(g, f["year"])),
                                                     key=lambda e: (e["requirement"], e["shape"], e["focus"]))})
    manifest["injected_gaps"] = sum(len(f["gaps"]) for f in manifest["files"])
    manifest["expected_findings"] = sum(len(f["expected"]) for f in manifest["files"])
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("partnerships", type=int)
    ap.add_argument("years", type=int)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-gaps", action="store_true", help="clean files only")
    args = ap.parse_args(argv)
    m = write(args.out, args.partnerships, args.years, args.seed, not args.no_gaps)
    print(f"wrote {len(m['files'])} partnership-years to {args.out} "
          f"({m['injected_gaps']} injected gaps, {m['expected_findings']} expected findings)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
