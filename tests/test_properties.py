"""Property-based tests: valid data always checks; broken data only ever fails as a UserError.

1. Generated partnership-years (random numbers of areas, organisations, people, posts, groups,
   priorities, documents, reviews and data sets, with consistent ids and dates) always load,
   build, validate and render without an exception.
2. Random damage to the real THSCP 2023-24 file (a key deleted, a value of the wrong type, a
   list item duplicated, an id swapped for an unknown one, a tab inserted, the text cut short)
   gives either a successful check or a ``UserError``; never any other exception.
"""
from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import THSCP_2023_24
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from thscp_kg import model
from thscp_kg.errors import UserError
from thscp_kg.load.loader import INVISIBLE_CHARACTERS
from thscp_kg.pipeline import check_file
from thscp_kg.report import render
from thscp_kg.yamlsafe import load_yaml

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class _Dumper(yaml.SafeDumper):
    """Writes the loader's Decimals back as plain numbers."""


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


# -- 1. generated valid partnership-years -------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=30).filter(
    lambda s: s.strip() and not INVISIBLE_CHARACTERS.search(s))  # those are refused, by design
EVIDENCE = [{"source": "src-0", "section": "Introduction"}]


def values(enum) -> list[str]:
    return [member.value for member in enum]


@st.composite
def partnership_years(draw) -> tuple[str, dict]:
    year = draw(st.integers(2018, 2030))
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    as_of = end + dt.timedelta(days=draw(st.integers(0, 400)))
    period = f"{year}-{(year + 1) % 100:02d}"

    def day(lo: dt.date = start, hi: dt.date = as_of) -> str:
        return (lo + dt.timedelta(days=draw(st.integers(0, (hi - lo).days)))).isoformat()

    def some(prefix: str, lo: int, hi: int) -> list[str]:
        return [f"{prefix}-{i}" for i in range(draw(st.integers(lo, hi)))]

    areas, sources, orgs = some("area", 1, 3), some("src", 1, 3), some("org", 1, 5)
    people, posts, groups = some("person", 0, 5), some("post", 0, 5), some("group", 0, 4)
    pick = lambda pool: draw(st.sampled_from(pool)) if pool else None  # noqa: E731
    subset = lambda pool: draw(st.lists(st.sampled_from(pool), unique=True, max_size=3)) if pool else []  # noqa: E731
    data: dict = {
        "schema_version": 1,
        "partnership": {"id": "generated", "name": draw(names),
                        "areas": [{"id": a, "name": draw(names)} for a in areas], "evidence": EVIDENCE},
        "period": {"id": period, "start": start.isoformat(), "end": end.isoformat()},
        "as_of": as_of.isoformat(),
        "sources": [{"id": s, "title": draw(names)} for s in sources],
        "organisations": [{"id": o, "name": draw(names), "kind": draw(st.sampled_from(values(model.OrganisationKind))),
                           "areas": subset(areas)} for o in orgs],
        "safeguarding_partners": [{"organisation": o} for o in subset(orgs)],
        "people": [{"id": p, "name": draw(names)} for p in people],
        "posts": [{"id": p, "title": draw(names), "organisation": pick(orgs),
                   "role": draw(st.sampled_from(values(model.Role))), "for_partner": pick(orgs),
                   "holders": [{"person": h, "from": day(dt.date(2015, 1, 1), as_of)} for h in subset(people)]}
                  for p in posts],
        "groups": [{"id": g, "name": draw(names), "kind": draw(st.sampled_from(values(model.GroupKind))),
                    "reports_to": pick(groups[:i]), "chair": pick(posts), "member_posts": subset(posts),
                    "member_organisations": subset(orgs)} for i, g in enumerate(groups)],
        "priorities": [{"id": p, "name": draw(names), "lead_post": pick(posts), "delivered_by": pick(groups)}
                       for p in some("priority", 0, 3)],
        "documents": [],
        "funding": {"financial_year": period,
                    "contributions": [{"contributor": o, "amount": {"amount": draw(st.integers(0, 10**7))}}
                                      for o in subset(orgs)]},
        "practice_reviews": [{"id": r, "title": draw(names),
                              "status": draw(st.sampled_from(values(model.ReviewStatus))), "published": day()}
                             for r in some("review", 0, 2)],
        "data_sets": [{"id": d, "name": draw(names), "owner_group": pick(groups)} for d in some("dataset", 0, 2)],
    }
    for d in some("doc", 0, 3):
        data["documents"].append({
            "id": d, "kind": draw(st.sampled_from(values(model.DocumentKind))), "title": draw(names),
            "covers": {"start": start.isoformat(), "end": end.isoformat()}, "published": day(),
            "sign_offs": [{"post": p, "date": day()} for p in subset(posts)],
            "submissions": [{"recipient": draw(st.sampled_from(["national-panel", *orgs])), "sent": day()}],
            "evidence": [{"source": pick(sources), "section": draw(names)}]})
    # Optional fields left out, as editors do: drop the Nones.
    return period, _without_nones(data)


def _without_nones(node):
    if isinstance(node, dict):
        return {k: _without_nones(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_without_nones(v) for v in node]
    return node


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


@SETTINGS
@given(year=partnership_years())
def test_generated_valid_years_always_check(work, year):
    period, data = year
    path = work / f"{period}.yaml"
    path.write_text(dump(data), encoding="utf-8")
    run = check_file(path)  # any exception, including a UserError, fails the test
    assert run.assessment.partnership == "generated" and run.assessment.period == period
    assert len(run.graph) > 0
    for fmt in ("md", "json", "text"):
        render(run.assessment, fmt)


# -- 2. random damage to the THSCP file ---------------------------------------------------------------

THSCP_TEXT = THSCP_2023_24.read_text(encoding="utf-8")
THSCP_DATA = load_yaml(THSCP_2023_24).data
ID_FIELDS = {"source", "organisation", "person", "post", "for_partner", "reports_to", "chair", "lead_post",
             "lead_organisation", "delivered_by", "presents", "recipient", "contributor", "owner_group"}
ID_LIST_FIELDS = {"areas", "member_posts", "member_organisations", "chair_rotates_between", "contributors"}
ODD_VALUES = [None, 0, -1, True, "", "x", [], {}, Decimal("1.5"), "2024-02-30", "NO", "<b>&</b>", "a b", "x" * 3000]


def _paths(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))


PATHS = list(_paths(THSCP_DATA))
KEYS = [p for p, _ in PATHS if p and isinstance(p[-1], str)]
SCALARS = [p for p, v in PATHS if p and not isinstance(v, (dict, list))]
LISTS = [p for p, v in PATHS if p and isinstance(v, list) and v]
REFERENCES = [p for p, v in PATHS if p and isinstance(v, str)
              and (p[-2] if isinstance(p[-1], int) else p[-1]) in ID_FIELDS | ID_LIST_FIELDS]


def _parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def damaged_thscp(draw) -> str:
    kind = draw(st.sampled_from(["delete", "retype", "duplicate", "unknown-id", "tab", "truncate"]))
    if kind == "tab":
        lines = THSCP_TEXT.splitlines(keepends=True)
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = "\t" + lines[i]
        return "".join(lines)
    if kind == "truncate":
        return THSCP_TEXT[: draw(st.integers(0, len(THSCP_TEXT) - 1))]
    data = copy.deepcopy(THSCP_DATA)
    if kind == "delete":
        path = draw(st.sampled_from(KEYS))
        del _parent(data, path)[path[-1]]
    elif kind == "retype":
        path = draw(st.sampled_from(SCALARS))
        _parent(data, path)[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    elif kind == "duplicate":
        items = _parent(data, draw(st.sampled_from(LISTS)) + (0,))
        items.insert(draw(st.integers(0, len(items))), copy.deepcopy(draw(st.sampled_from(items))))
    else:
        path = draw(st.sampled_from(REFERENCES))
        _parent(data, path)[path[-1]] = "no-such-id"
    return dump(data)


def test_the_damage_generator_reaches_every_kind_of_reference():
    assert {p[-1] if isinstance(p[-1], str) else p[-2] for p in REFERENCES} >= {
        "source", "organisation", "person", "post", "for_partner", "recipient", "contributor", "areas"}


@settings(SETTINGS, max_examples=40)
@given(text=damaged_thscp())
def test_damaged_thscp_gives_success_or_a_user_error(work, text):
    assume(text != THSCP_TEXT)
    path = work / "2023-24.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        run = check_file(path, display="2023-24.yaml")
    except UserError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith("2023-24.yaml"), message
        return
    render(run.assessment, "md")
    render(run.assessment, "json")
