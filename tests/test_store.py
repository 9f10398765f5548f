"""The store (thscp_kg/store/): load, query, check --store; the progress bar; lazy start-up."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from conftest import REQUIREMENT_FIXTURES, ROOT, THSCP_2023_24, run_main

FIXTURE = REQUIREMENT_FIXTURES / "WT23-LSP-01" / "fail.yaml"


def cli(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    """In this process (conftest.run_main); ``cli_process`` for a real process."""
    return run_main(*args, cwd=cwd or ROOT, env={**os.environ, **env} if env else None)


def cli_process(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "thscp_kg", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / ".thscp-store"
    result = cli("load", str(THSCP_2023_24), str(FIXTURE), "--store", str(path))
    assert result.returncode == 0, result.stderr
    assert "Loaded 2 partnership-year(s) of 2 partnership(s)" in result.stdout
    return path


def _without_location(findings) -> list[dict]:
    out = []
    for f in findings:
        d = f.to_json() if hasattr(f, "to_json") else dict(f)
        d.pop("location", None)
        d.pop("waiver", None)
        out.append(d)
    return sorted(out, key=lambda d: repr(sorted(d.items())))


def test_one_named_graph_per_partnership_year(store_dir) -> None:
    from thscp_kg.store.graph_store import LocalStore, stored_years

    with LocalStore(store_dir, read_only=True) as backend:
        years = stored_years(backend)
        graphs = {g.value for g in backend.store.named_graphs()}
    assert [y.key for y in years] == ["fixture/2024-25", "tower-hamlets/2023-24"]
    assert {y.graph for y in years} < graphs
    thscp = years[1]
    assert thscp.graph == "https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24"
    assert thscp.as_of == "2024-07-24" and thscp.triples > 1000 and len(thscp.sha256) == 64


def test_the_contents_read_in_one_call_gives_the_query_s_years(store_dir, tmp_path) -> None:
    """stored_years reads the embedded store's contents graph in one dump (decision 0034): the same years,
    fields and order as the SPARQL join it replaced, which an endpoint still answers. An entry without
    every field is left out by both."""
    import shutil

    from thscp_kg.store.graph_store import CONTENTS, STORE, LocalStore, _stored_years_by_query, stored_years

    copy = tmp_path / "copy"
    shutil.copytree(store_dir, copy)
    with LocalStore(copy) as backend:
        backend.update(f"INSERT DATA {{ GRAPH <{CONTENTS}> {{ <https://example.org/half-entry> a "
                       f"<{STORE.PartnershipYearGraph}> ; <{STORE.partnership}> \"aaa\" ; <{STORE.period}> \"2020-21\" }} }}")
    with LocalStore(copy, read_only=True) as backend:
        assert stored_years(backend) == _stored_years_by_query(backend)
        assert [y.key for y in stored_years(backend)] == ["fixture/2024-25", "tower-hamlets/2023-24"]


@pytest.mark.parametrize("change", ["a field twice", "a blank-node entry", "a language-tagged partnership",
                                    "two entries for one year"])
def test_contents_the_one_call_read_cannot_order_are_left_to_the_query(store_dir, change) -> None:
    """Where the query's answer would differ from one row per entry, or its order is not fixed, the
    one-call read gives no answer (None) and stored_years asks the query."""
    from thscp_kg.store.graph_store import CONTENTS, STORE, LocalStore, _years_from_contents

    with LocalStore(store_dir, read_only=True) as backend:
        text = backend.graph_ntriples(str(CONTENTS))
    assert _years_from_contents(text) is not None
    line = next(li for li in text.splitlines() if f"<{STORE.partnership}> " in li)
    entry = line.split(" ", 1)[0]
    entry_lines = [li for li in text.splitlines() if li.startswith(entry + " ")]
    if change == "a field twice":
        text += line.replace('" .', 'x" .') + "\n"
    elif change == "a blank-node entry":
        text += "\n".join(li.replace(entry, "_:b0", 1) for li in entry_lines) + "\n"
    elif change == "a language-tagged partnership":
        text = text.replace(line, line.replace('" .', '"@en .'))
    else:
        text += "\n".join(li.replace(entry, "<https://example.org/again>", 1) for li in entry_lines) + "\n"
    assert _years_from_contents(text) is None


def test_stored_graph_is_the_materialised_graph(store_dir) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from thscp_kg.load.loader import load_partnership_year
    from thscp_kg.pipeline import as_of_for, build_materialised
    from thscp_kg.rules.profile import load_profile
    from thscp_kg.store.graph_store import LocalStore

    loaded = load_partnership_year(THSCP_2023_24)
    built = build_materialised(loaded, load_profile(None), as_of_for(loaded, None))
    with LocalStore(store_dir, read_only=True) as backend:
        text = backend.graph_ntriples("https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24")
    assert isomorphic(Graph().parse(data=text, format="nt"), built)


def test_each_year_is_read_in_one_call_from_its_snapshot(store_dir, monkeypatch) -> None:
    """The check reads a year's N-Triples snapshot (one lookup), never the graph term by term; the
    snapshot is exactly the stored graph, its lines sorted; a snapshot that does not match the stored
    triple count (e.g. the graph was changed by hand) is not used: the graph itself is read.
    ``year_lines`` (what a check with graph checks reads) gives the same text, split once."""
    from dataclasses import replace

    from thscp_kg.store.graph_store import LocalStore, stored_years

    with LocalStore(store_dir, read_only=True) as backend:
        year = next(y for y in stored_years(backend) if y.key == "tower-hamlets/2023-24")
        read_whole = []
        original = LocalStore.graph_ntriples
        monkeypatch.setattr(LocalStore, "graph_ntriples", lambda self, g: read_whole.append(g) or original(self, g))
        snapshot = backend.year_ntriples(year)
        assert read_whole == []
        graph_itself = original(backend, year.graph)
        from rdflib import Graph
        from rdflib.compare import isomorphic
        assert isomorphic(Graph().parse(data=snapshot, format="nt"), Graph().parse(data=graph_itself, format="nt"))
        assert snapshot.count(" .\n") == year.triples
        lines = snapshot.split("\n")[:-1]
        assert lines == sorted(lines), "the snapshot's lines are stored in sorted order (the view's order)"
        assert backend.year_lines(year) == (snapshot, [*lines, ""]) and read_whole == []  # split once, no dump
        stale = replace(year, triples=year.triples + 1)
        assert backend.year_ntriples(stale) == graph_itself and read_whole == [year.graph]
        assert backend.year_lines(stale) == (graph_itself, graph_itself.split("\n"))
        assert read_whole == [year.graph, year.graph]


@pytest.fixture(scope="module")
def file_findings() -> dict[str, list[dict]]:
    """check_file's findings under pySHACL for the two stored years, computed once for the three engines
    below (3.1 s a time for THSCP 2023-24; the same call with the same files gave the same list)."""
    from parsed_once import parsed_once

    from thscp_kg.pipeline import check_file

    with parsed_once():  # pySHACL, each query text parsed once and proven unchanged at each use (tests/parsed_once.py)
        return {key: _without_location(check_file(path, use_waivers=False, engine="reference").assessment.findings)
                for key, path in (("tower-hamlets/2023-24", THSCP_2023_24), ("fixture/2024-25", FIXTURE))}


@pytest.mark.parametrize("engine", ["fast", "reference", "shacl"])
def test_check_store_gives_the_findings_of_check_file(store_dir, engine, file_findings) -> None:
    from thscp_kg.store.graph_store import LocalStore, check_stored

    with LocalStore(store_dir, read_only=True) as backend:
        checks = {c.year.key: c.findings for c in check_stored(backend, engine=engine)}
    for key, want in file_findings.items():
        assert _without_location(checks[key]) == want, key
    assert checks["tower-hamlets/2023-24"], "THSCP 2023-24 has findings; an empty check would prove nothing"


def test_check_store_cli_writes_json_and_exits_like_check(store_dir, tmp_path) -> None:
    result = cli("check", "--store", str(store_dir), "--output-dir", str(tmp_path), "--only", "tower-hamlets")
    assert result.returncode == 1, result.stderr  # THSCP 2023-24 has violations (README)
    assert "tower-hamlets/2023-24" in result.stdout and "fixture/2024-25" not in result.stdout
    report = json.loads((tmp_path / "store-check.json").read_text())
    assert report["checked"] == 1 and report["engine"] == "shacl"  # check --store's default (decision 0017)
    year = report["years"][0]
    assert year["graph"].endswith("/tower-hamlets/year/2023-24")
    assert year["summary"]["violation"] >= 1
    assert {f["requirement"] for f in year["findings"]} >= {"CA04-16G-03"}
    never = cli("check", "--store", str(store_dir), "--output-dir", str(tmp_path), "--fail-on", "never", "-q")
    assert never.returncode == 0 and never.stdout == ""


def test_reloading_replaces_a_partnership_year(store_dir, tmp_path) -> None:
    import shutil

    from thscp_kg.store.graph_store import LocalStore, stored_years

    copy = tmp_path / "copy"
    shutil.copytree(store_dir, copy)
    for _ in range(2):
        assert cli("load", str(FIXTURE), "--store", str(copy), "-q").returncode == 0
    with LocalStore(copy, read_only=True) as backend:
        years = stored_years(backend)
        rows = backend.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/thscp-kg/id/fixture/year/2024-25> "
                              "{ ?s ?p ?o } }", union=False).rows
    assert [y.key for y in years] == ["fixture/2024-25", "tower-hamlets/2023-24"]
    assert int(rows[0][0]) == years[0].triples


def test_query_formats(store_dir) -> None:
    q = ("SELECT ?g ?report WHERE { GRAPH ?g { ?report a scp:YearlyReport } } ORDER BY ?g")
    table = cli("query", "--store", str(store_dir), q)
    assert table.returncode == 0, table.stderr
    assert "scp-id:tower-hamlets/year/2023-24" in table.stdout and "(1 row)" in table.stdout
    as_csv = cli("query", "--store", str(store_dir), "--format", "csv", q)
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["g", "report"] and rows[1][0] == "https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24"
    as_json = json.loads(cli("query", "--store", str(store_dir), "--format", "json", q).stdout)
    assert as_json["head"]["vars"] == ["g", "report"]
    assert as_json["results"]["bindings"][0]["g"] == {
        "type": "uri", "value": "https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24"}
    ask = cli("query", "--store", str(store_dir), "--format", "json", "ASK { ?y a scp:PartnershipYear }")
    assert json.loads(ask.stdout)["boolean"] is True


def test_query_across_partnerships_from_a_file(store_dir, tmp_path) -> None:
    query = tmp_path / "years.rq"
    query.write_text("# partnership-years in the store\n"
                     "SELECT ?year (COUNT(?org) AS ?partners) WHERE {\n"
                     "  ?year a scp:PartnershipYear ; scp:hasSafeguardingPartner ?org .\n"
                     "} GROUP BY ?year ORDER BY ?year\n")
    result = cli("query", "--store", str(store_dir), "-f", str(query), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))[1:]
    assert [r[0].rsplit("/", 3)[-3] for r in rows] == ["fixture", "tower-hamlets"]
    assert all(int(r[1]) >= 3 for r in rows)
    construct = cli("query", "--store", str(store_dir), "CONSTRUCT { ?y a scp:PartnershipYear } WHERE "
                    "{ ?y a scp:PartnershipYear }")
    assert construct.stdout.count("\n") == 2 and "<https://w3id.org/thscp-kg/def#PartnershipYear>" in construct.stdout


def test_store_errors_are_one_line_exit_2(store_dir, tmp_path) -> None:
    missing = cli("check", "--store", str(tmp_path / "none"))
    assert missing.returncode == 2 and "no store at" in missing.stderr and "thscp-kg load" in missing.stderr
    bad = cli("query", "--store", str(store_dir), "SELEC nothing")
    assert bad.returncode == 2 and "not valid" in bad.stderr
    both = cli("check", "--store", str(store_dir), str(FIXTURE))
    assert both.returncode == 2
    unknown = cli("check", "--store", str(store_dir), "--only", "nowhere/2020-21")
    assert unknown.returncode == 2 and "nothing stored for nowhere/2020-21" in unknown.stderr
    not_a_store = tmp_path / "notastore"
    not_a_store.mkdir()
    (not_a_store / "keep.txt").write_text("x")
    refused = cli("load", str(FIXTURE), "--store", str(not_a_store))
    assert refused.returncode == 2 and (not_a_store / "keep.txt").read_text() == "x"
    for line in (missing.stderr, bad.stderr, refused.stderr):
        assert line.count("\n") == 1 and "Traceback" not in line


def test_load_a_folder_in_parallel(tmp_path) -> None:
    from thscp_kg.store.graph_store import LocalStore, stored_years

    data = tmp_path / "data" / "fixture"
    data.mkdir(parents=True)
    (data / "2024-25.yaml").write_text(FIXTURE.read_text())
    (data / "waivers.yaml").write_text("not a partnership-year: a folder load skips it\n")
    result = cli_process("load", str(tmp_path / "data"), str(THSCP_2023_24), "--store", str(tmp_path / "s"),
                         "--jobs", "2")  # a real process: the worker pool forks it
    assert result.returncode == 0, result.stderr
    with LocalStore(tmp_path / "s", read_only=True) as backend:
        assert [y.key for y in stored_years(backend)] == ["fixture/2024-25", "tower-hamlets/2023-24"]


def test_a_bad_file_stops_the_load_with_its_error(tmp_path) -> None:
    bad = tmp_path / "bad" / "2024-25.yaml"
    bad.parent.mkdir()
    bad.write_text("partnership: [not, a, mapping]\n")
    result = cli("load", str(FIXTURE), str(bad), "--store", str(tmp_path / "s"))
    assert result.returncode == 2 and "2024-25.yaml" in result.stderr and "Traceback" not in result.stderr


def test_progress_bar_only_on_a_terminal(monkeypatch) -> None:
    from thscp_kg.store.progress import Progress, wanted

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("THSCP_KG_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert wanted(Tty()) and not wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not wanted(Tty())
    monkeypatch.delenv("CI")
    stream = Tty()
    with Progress(3, "Loading", stream=stream) as bar:
        for i in range(3):
            bar.advance(note=f"file {i}")
    assert "Loading [" in stream.getvalue() and "3/3" in stream.getvalue()
    assert stream.getvalue().endswith("\r")  # erased at the end
    quiet = io.StringIO()
    with Progress(3, "Loading", stream=quiet) as bar:
        bar.advance()
    assert quiet.getvalue() == ""


def test_help_imports_neither_pyshacl_nor_the_store() -> None:
    code = ("import sys, runpy; sys.argv = ['thscp-kg', '--help']\n"
            "try:\n    runpy.run_module('thscp_kg', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "bad = [m for m in ('pyshacl', 'pyshacl_turbo', 'pyoxigraph', 'rdflib') if m in sys.modules]\n"
            "print('LOADED', bad)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "LOADED []" in result.stdout, result.stdout + result.stderr
