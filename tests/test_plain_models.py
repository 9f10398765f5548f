"""The run reads plain copies of the validated models (thscp_kg/plain.py, decision 0036): every copy
holds its model's values and answers its methods alike, on THSCP's six years and on every partnership
of another shape; and a cold `check` with unchanged files never imports pydantic, in the main process
or in the children it forks, while writing the same bytes as a run that validated everything."""
from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, same_values

from thscp_kg import resources as cache
from thscp_kg.load.loader import load_partnership_year
from thscp_kg.model import ApproximateDate, PartnershipYear
from thscp_kg.model_values import ApproximateDateReads, PlainApproximateDate
from thscp_kg.plain import Plain, plain

# THSCP's six years, the partnerships of other shapes and every requirement's pass and fail fixtures.
YEARS = sorted((ROOT / "data" / "tower-hamlets").glob("20*.yaml")) + sorted(
    p for folder in ("partnerships", "requirements") for p in (ROOT / "tests" / folder).glob("*/*.yaml")
    if p.name != "expected.yaml")
PROFILES = [None, *sorted((ROOT / "tests" / "profiles").glob("*.yaml"))]


def _approximate_dates(model):
    """Every ApproximateDate in a validated model, with the path to it."""
    from pydantic import BaseModel

    def walk(value, path):
        if isinstance(value, ApproximateDate):
            yield path, value
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), f"{path}.{name}")
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield from walk(item, f"{path}[{i}]")
    yield from walk(model, "year")


def _at(copy, path: str):
    value = copy
    for part in path.removeprefix("year.").replace("]", "").replace("[", ".").split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


@pytest.mark.parametrize("path", YEARS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_years_copy_holds_its_models_values(path):
    loaded = load_partnership_year(path)
    model = PartnershipYear.model_validate(loaded.document.data)
    assert same_values(model, loaded.year, "year") > 10   # the top-level fields at least
    assert loaded.data == model.model_dump(by_alias=True)
    for where, date in _approximate_dates(model):   # the mixin's methods answer alike on the copy
        copy = _at(loaded.year, where)
        assert isinstance(copy, PlainApproximateDate) and isinstance(copy, ApproximateDateReads), where
        assert (str(copy), copy.isoformat(), copy.text, copy.to_data()) == \
            (str(date), date.isoformat(), date.text, date.to_data()), where


def test_the_files_compared_hold_approximate_dates_and_both_kinds_of_challenge():
    """The comparison above reaches the values with behaviour: approximate dates and challenges."""
    from thscp_kg.yamlsafe import load_yaml

    models = [PartnershipYear.model_validate(load_yaml(p, p.name).data) for p in YEARS]
    assert len(models) > 150
    assert sum(1 for m in models for _ in _approximate_dates(m)) >= 10
    assert any(c.is_external for m in models for c in m.challenges)
    assert any(not c.is_external for m in models for c in m.challenges)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem if p else "default")
def test_every_profiles_copy_holds_its_models_values_and_answers_alike(path):
    from thscp_kg.rules.profile import load_profile
    from thscp_kg.rules.profile_model import Profile

    loaded = load_profile(path)
    from thscp_kg.rules import profile as profile_module
    model = Profile.model_validate(_profile_data(profile_module, path))
    assert same_values(model, loaded.profile, "profile") > 100
    assert loaded.data == model.model_dump(mode="json")
    days = [dt.date(2018, 6, 29), dt.date(2019, 1, 1), dt.date(2023, 12, 14), dt.date(2023, 12, 15),
            dt.date(2024, 12, 1), dt.date(2026, 9, 1), dt.date(2027, 4, 1)]
    copy = loaded.profile
    for day in days:
        assert copy.edition_on(day).id == model.edition_on(day).id, day
        assert copy.edition_on(day).revision_note(day) == model.edition_on(day).revision_note(day), day
        assert [copy.commenced(k, day) for k in model.commencement] == \
            [model.commenced(k, day) for k in model.commencement], day
        if model.relevant_agency_schedule:
            mine, theirs = copy.relevant_agency_schedule.on(day), model.relevant_agency_schedule.on(day)
            assert (mine is None) == (theirs is None) and (mine is None or same_values(theirs, mine, "on") > 0)
    assert copy.editions_between(days[0], days[-1]) == model.editions_between(days[0], days[-1])


def _profile_data(profile_module, path):
    """The data ``load_profile`` validates (a tailoring merged over its base)."""
    from thscp_kg.resources import resource_dir
    from thscp_kg.yamlsafe import load_yaml

    path = Path(path) if path else resource_dir("catalogue") / "profiles" / "default.yaml"
    data = load_yaml(path, path.name).data
    if "extends" in data:
        base = load_yaml(resource_dir("catalogue") / "profiles" / f"{data['extends']}.yaml", "base").data
        data = profile_module._merge(base, {k: v for k, v in data.items() if k != "extends"})
    return data


def test_a_copy_is_read_only_hashable_and_pickles_by_value():
    date = plain(ApproximateDate(latest=dt.date(2023, 8, 31), precision="not-later-than",
                                 written="not later than 2023-08-31"))
    with pytest.raises(AttributeError, match="read-only"):
        date.written = "2023"
    again = pickle.loads(pickle.dumps(date))
    assert again == date and hash(again) == hash(date) and type(again) is PlainApproximateDate
    moved = date.copy_with(written="2023-08")
    assert moved.written == "2023-08" and date.written == "not later than 2023-08-31" and moved != date
    assert Plain(a=1) != PlainApproximateDate(a=1)   # equal only when of one kind


def _driver(marks: Path) -> str:
    """``thscp-kg`` as the command line runs it, with an import hook that notes every process (the main
    one and the children it forks) in which pydantic is imported."""
    return f"""
import importlib.machinery, os, sys
class Note:   # finds pydantic as Python would, and notes the process when its module is executed
    def find_spec(self, name, path=None, target=None):
        if name != "pydantic":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        real = spec.loader
        class Loader:
            def create_module(self, spec):
                return real.create_module(spec)
            def exec_module(self, module):
                with open({str(marks)!r}, "a") as f:
                    f.write(f"{{os.getpid()}}\\n")
                return real.exec_module(module)
        spec.loader = Loader()
        return spec
sys.meta_path.insert(0, Note())
sys.argv = ["thscp-kg"] + sys.argv[1:]
from thscp_kg.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize("data", [ROOT / "data" / "tower-hamlets" / "2023-24.yaml",
                                  ROOT / "tests" / "partnerships" / "westmere-ashby" / "2024-25.yaml"],
                         ids=["thscp-with-waivers-and-people", "westmere-ashby"])
def test_a_cold_check_imports_no_pydantic_once_the_copies_are_cached(data, tmp_path):
    env = {**os.environ, cache.ENV_VAR: str(tmp_path / "cache"), "THSCP_KG_PARALLEL": "on"}
    outputs = []
    for run in ("validates", "reads the copies"):
        marks, out = tmp_path / f"marks-{len(outputs)}", tmp_path / f"out-{len(outputs)}"
        proc = subprocess.run([sys.executable, "-c", _driver(marks), "check", str(data), "-q", "--output-dir",
                               str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
        imported = marks.read_text().split() if marks.exists() else []
        if run == "validates":
            assert imported, "the first run validates the files with pydantic"
        else:
            assert imported == [], f"pydantic imported in {len(imported)} process(es) of a cold run"
    assert outputs[0] == outputs[1] and len(outputs[0]) >= 5
