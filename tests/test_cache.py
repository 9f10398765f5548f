"""The compiled cache (the compiled cache in thscp_kg/resources.py): never stale, and never in the way."""
from __future__ import annotations

import shutil
import stat

from conftest import ROOT, same_values
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from thscp_kg import resources as cache
from thscp_kg.materialise import workdays
from thscp_kg.rdfio import deterministic_turtle

SHAPES = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology"


def _copy(folder, tmp_path):
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


def test_a_changed_shape_file_is_picked_up_by_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    shapes = _copy(SHAPES, tmp_path)
    first = cache.parsed_turtle("shapes", shapes)
    assert len(list((tmp_path / "cache").glob("shapes-*.pickle"))) == 1
    again = cache.parsed_turtle("shapes", shapes)  # from the cache: the same triples
    assert set(again) == set(first)
    edited = sorted(shapes.glob("*.ttl"))[0]
    edited.write_text(edited.read_text(encoding="utf-8")
                      + '\n<urn:test:new-shape> <http://www.w3.org/2000/01/rdf-schema#label> "new" .\n',
                      encoding="utf-8")
    changed = cache.parsed_turtle("shapes", shapes)
    assert (URIRef("urn:test:new-shape"), RDFS.label, Literal("new")) in changed
    assert len(changed) == len(first) + 1


def test_the_shapes_n_triples_come_from_the_cache_and_follow_an_edit(tmp_path, monkeypatch):
    from rdflib import Graph

    from thscp_kg.rdfio import ntriples
    from thscp_kg.validate import shapes as bundled

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    folder = _copy(SHAPES, tmp_path)
    monkeypatch.setattr(bundled, "resource_dir", lambda name: folder)
    bundled.shapes_graph.cache_clear()
    try:
        graph = bundled.shapes_graph()
        first = bundled.shapes_ntriples(graph)
        assert sorted(first.splitlines()) == sorted(ntriples(graph).splitlines())
        assert len(list((tmp_path / "cache").glob("shapes-nt-*.pickle"))) == 1
        assert bundled.shapes_ntriples(graph) == first   # from the cache
        edited = sorted(folder.glob("*.ttl"))[0]
        edited.write_text(edited.read_text(encoding="utf-8")
                          + '\n<urn:test:new-shape> <http://www.w3.org/2000/01/rdf-schema#label> "new" .\n',
                          encoding="utf-8")
        bundled.shapes_graph.cache_clear()
        changed = bundled.shapes_ntriples(bundled.shapes_graph())
        assert '<urn:test:new-shape> <http://www.w3.org/2000/01/rdf-schema#label> "new" .' in changed.splitlines()
        assert len(changed.splitlines()) == len(first.splitlines()) + 1
        other = Graph()   # not the bundled shapes: written out, never from the cache
        other.add((URIRef("urn:test:s"), RDFS.label, Literal("s")))
        assert bundled.shapes_ntriples(other) == ntriples(other)
    finally:
        bundled.shapes_graph.cache_clear()


def test_a_changed_ontology_file_is_picked_up_by_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    ontology = _copy(ONTOLOGY, tmp_path)
    before = cache.parsed_turtle("ontology", ontology)
    (ontology / "zz-extra.ttl").write_text('<urn:test:C> <http://www.w3.org/2000/01/rdf-schema#label> "C" .\n',
                                           encoding="utf-8")
    after = cache.parsed_turtle("ontology", ontology)
    assert len(after) == len(before) + 1
    assert after.value(URIRef("urn:test:C"), RDFS.label) == Literal("C")


def test_the_cached_graph_equals_a_fresh_parse(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    cache.parsed_turtle("shapes", SHAPES)
    from_cache = cache.parsed_turtle("shapes", SHAPES)
    monkeypatch.setenv(cache.ENV_VAR, "off")
    fresh = cache.parsed_turtle("shapes", SHAPES)
    assert deterministic_turtle(from_cache) == deterministic_turtle(fresh)
    assert dict(from_cache.namespaces())["scp-sh"] == dict(fresh.namespaces())["scp-sh"]


def test_an_unwritable_cache_does_not_break_a_run(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv(cache.ENV_VAR, str(locked / "cache"))
    try:
        assert cache.cached("thing", "k", lambda: [1, 2]) == [1, 2]
    finally:
        locked.chmod(stat.S_IRWXU)


def test_a_corrupt_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path))
    (tmp_path / "thing-k.pickle").write_bytes(b"not a pickle")
    assert cache.cached("thing", "k", lambda: {"a": 1}) == {"a": 1}
    assert cache.cached("thing", "k", lambda: {"rebuilt": True}) == {"a": 1}  # the rebuilt value was stored


def test_the_cache_folder_is_per_user_and_can_be_moved(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "thscp-kg"
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "elsewhere"))
    assert cache.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv(cache.ENV_VAR, "off")
    assert cache.cache_dir() is None


def test_the_bank_holiday_table_equals_the_holidays_package():
    years = workdays.TABLE_YEARS
    assert workdays._table() == workdays._computed(years)
    assert workdays.bank_holidays(2024) == dict(workdays._computed(range(2024, 2025))[2024])
    assert workdays._bank_holidays(2100) == workdays._computed(range(2100, 2101))[2100]  # outside the table


def test_deterministic_turtle_ignores_blank_node_ids_and_triple_order(thscp_run):
    import random

    from rdflib import BNode, Graph
    from rdflib.compare import isomorphic

    from thscp_kg.rdfio import canonical_bnodes

    report = thscp_run.results
    assert isomorphic(canonical_bnodes(report), report)
    expected = deterministic_turtle(report)
    rng = random.Random(7)
    for _ in range(5):
        triples, fresh = list(report), {}
        rng.shuffle(triples)
        copy = Graph()
        for t in triples:
            copy.add(tuple(fresh.setdefault(n, BNode()) if isinstance(n, BNode) else n for n in t))
        assert deterministic_turtle(copy) == expected


def test_the_cached_json_schema_is_the_models_and_skips_pydantic(tmp_path, monkeypatch):
    import subprocess
    import sys

    from thscp_kg.commands.schema import cached_schema_text
    from thscp_kg.load.schema import schema_text

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    assert cached_schema_text() == schema_text()  # built
    assert cached_schema_text() == schema_text()  # read back
    code = ("import sys, thscp_kg.cli as c; c.main(['schema', '-o', sys.argv[1]]); "
            "print('pydantic' in sys.modules, 'thscp_kg.model' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.json")], capture_output=True, text=True,
                         env={**__import__("os").environ, cache.ENV_VAR: str(tmp_path / "cache")}, check=True)
    assert out.stdout.split()[-2:] == ["False", "False"]
    assert (tmp_path / "s.json").read_text() == schema_text()


# -- the catalogue, the changelog and the ontology's tables (issue 16) ---------------------------
CATALOGUE = ROOT / "catalogue"


def test_a_changed_catalogue_entry_is_picked_up_and_still_checked(tmp_path, monkeypatch):
    import pytest

    from thscp_kg.errors import ConfigError
    from thscp_kg.rules.catalogue import load_catalogue

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    folder = _copy(CATALOGUE, tmp_path)
    first = load_catalogue(folder)
    assert len(list((tmp_path / "cache").glob("catalogue-*.pickle"))) == 1
    load_catalogue.cache_clear()
    assert load_catalogue(folder) == first                      # from the cache
    path = sorted((folder / "requirements").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    req = first.get(next(r.id for r in first.requirements if f"id: {r.id}" in text))
    path.write_text(text.replace(f"title: {req.title}", "title: An edited title", 1), encoding="utf-8")
    load_catalogue.cache_clear()
    assert load_catalogue(folder).get(req.id).title == "An edited title"
    path.write_text(text.replace(f"id: {req.id}", "id: NOT-AN-ID", 1), encoding="utf-8")
    load_catalogue.cache_clear()
    with pytest.raises(ConfigError):                            # a bad entry is reported, never served stale
        load_catalogue(folder)
    load_catalogue.cache_clear()


def test_the_cached_catalogue_and_changelog_equal_a_fresh_read(tmp_path, monkeypatch):
    from thscp_kg.rules.catalogue import _read_catalogue, load_catalogue
    from thscp_kg.rules.changelog import _read_changelog, load_changelog

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    for load in (load_catalogue, load_changelog):
        load.cache_clear()
        load()
        load.cache_clear()
    assert load_catalogue() == _read_catalogue(CATALOGUE)
    assert load_changelog() == _read_changelog(CATALOGUE)
    assert [r.verification for r in load_catalogue().requirements] == \
        [r.verification for r in _read_catalogue(CATALOGUE).requirements]
    for load in (load_catalogue, load_changelog):
        load.cache_clear()


def test_a_changed_changelog_is_picked_up(tmp_path, monkeypatch):
    from thscp_kg.rules.changelog import load_changelog

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    folder = _copy(CATALOGUE, tmp_path)
    before = load_changelog(folder)
    path = folder / "CHANGELOG.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(before.changes[0].change, "An edited change", 1),
                    encoding="utf-8")
    load_changelog.cache_clear()
    assert load_changelog(folder).changes[0].change == "An edited change"
    load_changelog.cache_clear()


def test_the_ontology_tables_equal_those_computed_from_the_graph(tmp_path, monkeypatch):
    from thscp_kg import ontology
    from thscp_kg.materialise import facts

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    for fn in (ontology.subclass_closure, facts.defined_class_rules, ontology._label_table):
        fn.cache_clear()
        fn()
        fn.cache_clear()
    assert ontology.subclass_closure() == ontology._subclass_closure(ontology.ontology_graph())
    assert facts.defined_class_rules() == facts._defined_class_rules()
    onto = ontology.ontology_graph()
    for node in set(onto.subjects()) | {URIRef("urn:test:no-such-class")}:
        assert ontology.ontology_label(node) == onto.value(node, RDFS.label)
    assert list((tmp_path / "cache").glob("subclasses-*.pickle")) and list((tmp_path / "cache").glob("defined-*.pickle"))
    for fn in (ontology.subclass_closure, facts.defined_class_rules, ontology._label_table):
        fn.cache_clear()


def test_a_finding_s_json_is_what_dataclasses_asdict_gave(thscp_run):
    """Finding.to_json builds its dict directly (asdict's deep copy was a third of the JSON report's time)."""
    from dataclasses import asdict, replace

    def legacy(f):
        data = asdict(f)
        data["severity"] = f.severity.value
        data["status"] = f.status.value
        data["citations"] = list(f.citations)
        data["evidence"] = list(f.evidence)
        return {k: v for k, v in data.items() if v is not None}

    findings = list(thscp_run.assessment.findings)
    findings.append(replace(findings[0], waiver={"id": "w1", "reason": "r", "until": "2025-01-01",
                                                 "labels": ["a", "b"], "nested": {"x": (1, 2)}}))
    for f in findings:
        got = f.to_json()
        assert got == legacy(f) and list(got) == list(legacy(f))
        if f.waiver is not None:
            assert got["waiver"] is not f.waiver and got["waiver"] == f.waiver  # a copy, as asdict made


def test_the_compiled_html_template_is_used_only_while_the_template_is_unchanged(tmp_path, monkeypatch):
    """The HTML report's compiled template is kept in the cache folder; an edited template is compiled again."""
    import jinja2

    from thscp_kg.report import html

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.j2").write_text("one {{ x }}", encoding="utf-8")

    def env():
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                                  bytecode_cache=html._bytecode_cache(jinja2))

    assert env().get_template("t.j2").render(x=1) == "one 1"
    assert len(list((tmp_path / "cache").glob("jinja-*.bytecode"))) == 1
    assert env().get_template("t.j2").render(x=2) == "one 2"                 # from the compiled entry
    (templates / "t.j2").write_text("two {{ x }}", encoding="utf-8")
    assert env().get_template("t.j2").render(x=3) == "two 3"                 # the edit is seen
    for entry in (tmp_path / "cache").glob("jinja-*.bytecode"):
        entry.write_bytes(b"garbage")
    assert env().get_template("t.j2").render(x=4) == "two 4"                 # a corrupt entry is compiled again
    monkeypatch.setenv(cache.ENV_VAR, "off")
    assert html._bytecode_cache(jinja2) is None


class _Item(__import__("pydantic").BaseModel):
    model_config = __import__("pydantic").ConfigDict(defer_build=True, extra="forbid", frozen=True)
    name: str
    count: int = 0


def test_validated_data_comes_from_the_cache_only_for_the_same_data(tmp_path, monkeypatch):
    """resources.validated: a cold process (validator not built) takes an unchanged input's validated model
    from the cache; other data is validated afresh, and invalid data raises as it would without the cache."""
    import pydantic
    import pytest

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    source = tmp_path / "model.py"
    source.write_text("# the model's source\n", encoding="utf-8")

    def fresh_model():   # as in a new process: the validator not built (the class is pickled by name)
        monkeypatch.setattr(_Item, "__pydantic_complete__", False)
        return f"{__name__}:_Item"

    m = f"{__name__}:_Item"
    fresh_model()
    first, dumped = cache.validated("item", m, {"name": "a", "count": "3"}, [source],
                                    derive=lambda i: (i, i.model_dump()))
    assert (first.name, first.count, dumped) == ("a", 3, {"name": "a", "count": 3})
    assert len(list((tmp_path / "cache").glob("item-*.pickle"))) == 1
    fresh_model()
    calls = []
    monkeypatch.setattr(_Item, "model_validate", classmethod(lambda cls, data: calls.append(data)))
    again, dumped2 = cache.validated("item", m, {"name": "a", "count": "3"}, [source],
                                     derive=lambda i: (i, i.model_dump()))
    assert (again.name, again.count, dumped2) == ("a", 3, dumped) and calls == []   # not validated again
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    other = cache.validated("item", fresh_model(), {"name": "b"}, [source])
    assert (other.name, other.count) == ("b", 0)
    with pytest.raises(pydantic.ValidationError):
        cache.validated("item", fresh_model(), {"name": "a", "count": "x"}, [source])
    with pytest.raises(pydantic.ValidationError):
        cache.validated("item", fresh_model(), {"name": "a", "extra": 1}, [source])
    source.write_text("# an edited model\n", encoding="utf-8")           # a changed model source: a new key
    cache.validated("item", fresh_model(), {"name": "a", "count": "3"}, [source])
    assert len(list((tmp_path / "cache").glob("item-*.pickle"))) == 3   # a/3 (with its dump), b, a/3 after the edit


def test_a_cached_partnership_year_equals_a_validated_one(tmp_path, monkeypatch):
    from thscp_kg.load import loader
    from thscp_kg.load.loader import load_yaml
    from thscp_kg.model import PartnershipYear

    _validate = loader._validate.fresh   # the loader's own, not the suite's kept results (tests/conftest.py)

    doc = load_yaml(ROOT / "data" / "tower-hamlets" / "2023-24.yaml", "2023-24.yaml")
    monkeypatch.setattr(PartnershipYear, "__pydantic_complete__", False)   # as in a cold process
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    built = _validate(doc.data)
    from_cache = _validate(doc.data)
    assert list((tmp_path / "cache").glob("data-*.pickle"))
    expected = PartnershipYear.model_validate(doc.data)
    assert built[0] == from_cache[0]
    assert same_values(expected, built[0], "year") > 1000   # the plain copy holds every value of the model
    assert built[1] == from_cache[1] == expected.model_dump(by_alias=True)


def _planted(folder, kind, key):
    """An entry someone else put there: loading it would hand back their value."""
    import pickle

    folder.mkdir(exist_ok=True)
    (folder / f"{kind}-{key}.pickle").write_bytes(pickle.dumps("planted"))


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    _planted(shared, "thing", "k")
    shared.chmod(0o777)  # e.g. a cache folder on a shared drive, or a world-writable /tmp folder
    monkeypatch.setenv(cache.ENV_VAR, str(shared))
    assert cache.cache_dir() is None
    assert cache.cached("thing", "k", lambda: "built") == "built"
    assert sorted(p.name for p in shared.iterdir()) == ["thing-k.pickle"]  # nothing written there either
    shared.chmod(0o770)  # writable by the group: the same
    assert cache.cached("thing", "k", lambda: "built") == "built"
    shared.chmod(0o700)  # the user's own: used
    assert cache.cached("thing", "k", lambda: "built") == "planted"


def test_a_new_cache_folder_is_created_private(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "fresh" / "cache"))
    assert cache.cached("thing", "k", lambda: [1]) == [1]
    assert stat.S_IMODE((tmp_path / "fresh" / "cache").stat().st_mode) == 0o700
    assert cache.cached("thing", "k", lambda: [2]) == [1]  # and used


def test_the_default_profile_comes_from_the_cache_and_follows_an_edit(tmp_path, monkeypatch):
    """load_profile() keeps the default profile in the cache (a check --store worker then reads no YAML);
    an edit to the file is read by the next call, and a broken file is reported, never served stale."""
    import pytest

    from thscp_kg import yamlsafe
    from thscp_kg.errors import ConfigError
    from thscp_kg.rules import profile as profiles

    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    folder = _copy(ROOT / "catalogue", tmp_path)
    monkeypatch.setattr(profiles, "resource_dir", lambda name: folder if name == "catalogue" else cache.resource_dir(name))
    first = profiles.load_profile()
    fresh = profiles.load_profile(ROOT / "catalogue" / "profiles" / "default.yaml")   # read from its file
    assert first == fresh and first.data == fresh.data
    assert len(list((tmp_path / "cache").glob("profile-default-*.pickle"))) == 1

    def no_yaml(*args, **kwargs):
        raise AssertionError("the YAML reader was asked")

    with monkeypatch.context() as m:
        m.setattr(yamlsafe, "load_yaml", no_yaml)
        again = profiles.load_profile()                                     # from the cache
    assert again == first and again.data == first.data
    path = folder / "profiles" / "default.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: England, statutory guidance as published (default)",
                                 "title: An edited title", 1), encoding="utf-8")
    assert profiles.load_profile().profile.title == "An edited title"
    path.write_text(text.replace("id: default", "id: [not, an, id]", 1), encoding="utf-8")
    with pytest.raises(ConfigError):                                        # never served stale
        profiles.load_profile()
