"""The plain copy of the validated catalogue and changelog that `rules` and `explain` read (issue 16):
the same values as the pydantic models, the same output, never stale, and no pydantic import."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, same_values

from thscp_kg import resources as cache
from thscp_kg.commands.explain import explanation
from thscp_kg.errors import ConfigError
from thscp_kg.rules.catalogue import load_catalogue
from thscp_kg.rules.changelog import load_changelog
from thscp_kg.rules.plain import plain_catalogue, plain_changelog

CATALOGUE = ROOT / "catalogue"


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    for load in (plain_catalogue, plain_changelog, load_catalogue, load_changelog):
        load.cache_clear()
    yield tmp_path / "cache"
    for load in (plain_catalogue, plain_changelog, load_catalogue, load_changelog):
        load.cache_clear()


def test_every_plain_value_equals_the_models(own_cache):
    for _ in range(2):  # built, then read back from the cache
        catalogue, changelog = plain_catalogue(), plain_changelog()
        assert same_values(load_catalogue(), catalogue, "catalogue") > 3000
        assert same_values(load_changelog(), changelog, "changelog") > 1000
        plain_catalogue.cache_clear()
        plain_changelog.cache_clear()
    assert len(list(own_cache.glob("catalogue-plain-*.pickle"))) == 1
    req = catalogue.get("WT23-LSP-03")
    assert (req.unverified, req.verification) == (load_catalogue().get(req.id).unverified,
                                                 load_catalogue().get(req.id).verification)
    with pytest.raises(KeyError):
        catalogue.get("NOT-AN-ID")
    assert [r.id for r in catalogue.active()] == [r.id for r in load_catalogue().active()]
    import datetime as dt

    day = dt.date(2026, 11, 1)
    assert [(c.requirement, c.change) for c in changelog.since(day)] == \
        [(c.requirement, c.change) for c in load_changelog().since(day)]


def test_explain_says_the_same_from_the_plain_copy_for_every_entry(own_cache):
    catalogue, changelog = load_catalogue(), load_changelog()
    copy, copy_log = plain_catalogue(), plain_changelog()
    for req in catalogue.requirements:
        assert explanation(copy.get(req.id), copy_log.for_requirement(req.id)) == \
            explanation(req, changelog.for_requirement(req.id)), req.id


def test_a_changed_entry_is_picked_up_by_the_plain_copy_and_still_checked(own_cache, tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, folder)
    first = plain_catalogue(folder)
    path = sorted((folder / "requirements").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    req = first.get(next(r.id for r in first.requirements if f"id: {r.id}" in text))
    path.write_text(text.replace(f"title: {req.title}", "title: An edited title", 1), encoding="utf-8")
    plain_catalogue.cache_clear()
    load_catalogue.cache_clear()
    assert plain_catalogue(folder).get(req.id).title == "An edited title"
    path.write_text(text.replace(f"id: {req.id}", "id: NOT-AN-ID", 1), encoding="utf-8")
    plain_catalogue.cache_clear()
    load_catalogue.cache_clear()
    with pytest.raises(ConfigError):  # a bad entry is reported, never served from the old copy
        plain_catalogue(folder)
    log = folder / "CHANGELOG.yaml"
    before = plain_changelog(folder).changes[0].change
    log.write_text(log.read_text(encoding="utf-8").replace(before, "An edited change", 1), encoding="utf-8")
    plain_changelog.cache_clear()
    load_changelog.cache_clear()
    assert plain_changelog(folder).changes[0].change == "An edited change"


def test_rules_and_explain_do_not_import_pydantic_once_the_copy_is_cached(own_cache):
    code = ("import sys, thscp_kg.cli as c; c.main(sys.argv[1:]); "
            "print('pydantic' in sys.modules, 'thscp_kg.model' in sys.modules)")
    env = {**os.environ, cache.ENV_VAR: str(own_cache)}
    for argv in (["rules"], ["explain", "WT23-LSP-03"]):
        runs = [subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env,
                               check=True).stdout for _ in range(2)]
        first, second = (r.rsplit("\n", 2) for r in runs)
        assert first[0] == second[0]                                      # the same output
        assert first[1] == "True False"                                   # built: validated with pydantic
        assert second[1] == "False False", argv                           # read from the cached copy


def test_citations_are_what_model_dump_gives_for_every_entry():
    for req in load_catalogue().requirements:
        dumped = tuple(s.model_dump(mode="json", exclude_defaults=False) for s in req.sources)
        assert req.citations() == dumped, req.id
        assert [list(c) for c in req.citations()] == [list(d) for d in dumped], req.id   # same key order


def test_waivers_and_people_files_come_from_the_cache_only_while_unchanged(tmp_path, monkeypatch):
    """A cold process takes an unchanged waiver or people file's validated plain copy from the compiled
    cache (load/waivers.py ``_validate``); other data is validated afresh, and bad data still raises."""
    import pydantic

    from thscp_kg.load import side_models
    from thscp_kg.load.people import MODEL_NAMES
    from thscp_kg.load.waivers import _validate
    from thscp_kg.yamlsafe import load_yaml

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    waiver = {"id": "w-1", "requirement": "WT23-LSP-03", "focus": "document/ar-2023-24",
              "justification": "Accepted until the next yearly report is published.", "author": "business-manager",
              "approver": "lsp-council", "date": "2024-01-10", "expiry": "2024-06-30"}
    cases = [("WaiverFile", {"waivers": [waiver]}, "waivers", "waivers")]
    cases += [(MODEL_NAMES[name], load_yaml(ROOT / "tests" / "people" / f"{name}.yaml", name).data, "people", name)
              for name in ("assessments", "actions")]
    for name, data, kind, field in cases:
        model = getattr(side_models, name)
        expected = model.model_validate(data)
        assert list(getattr(expected, field)), field          # a file with records, not an empty list
        monkeypatch.setattr(model, "__pydantic_complete__", False)   # as in a cold process
        built, again = _validate(name, data, kind), _validate(name, data, kind)
        assert built == again, kind
        assert same_values(expected, built, kind) > 5, kind           # the copy holds every value of the model
        monkeypatch.undo()
        monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    assert len(list((tmp_path / "cache").glob("people-*.pickle"))) == 2
    assert len(list((tmp_path / "cache").glob("waivers-*.pickle"))) == 1
    monkeypatch.setattr(side_models.WaiverFile, "__pydantic_complete__", False)
    edited = {**waiver, "justification": "An edited justification, long enough."}
    assert _validate("WaiverFile", {"waivers": [edited]}).waivers[0].justification == edited["justification"]
    assert len(list((tmp_path / "cache").glob("waivers-*.pickle"))) == 2
    with pytest.raises(pydantic.ValidationError):
        _validate("WaiverFile", {"waivers": [{**waiver, "unknown": 1}]})
    with pytest.raises(pydantic.ValidationError):
        _validate("WaiverFile", {"waivers": [{**waiver, "approver": waiver["author"]}]})
