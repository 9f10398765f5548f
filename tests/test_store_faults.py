"""Issue 14 #4, #5, #6: the store never loses a year, and a damaged store is a clear exit 2."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REQUIREMENT_FIXTURES, ROOT, THSCP_2023_24

FIXTURE = REQUIREMENT_FIXTURES / "WT23-LSP-01" / "fail.yaml"


def test_a_line_separator_inside_a_literal_stays_one_quad():
    """#5: str.splitlines() also splits on U+2028/U+2029/U+0085, cutting an N-Triples line in two."""
    from thscp_kg.store.graph_store import _as_quads

    nt = '<urn:a> <urn:b> "one\u2028two\u2029three\x85four" .\n<urn:c> <urn:d> "x" .\n'
    quads = _as_quads(nt, "urn:g")
    assert quads.count("\n") == 2
    assert quads.startswith('<urn:a> <urn:b> "one\u2028two\u2029three\x85four" <urn:g> .\n')


def test_an_interrupted_reload_keeps_the_stored_year(tmp_path, monkeypatch):
    """#4: a load that dies while writing (here: the bulk load fails) leaves the old copy stored."""
    import pyoxigraph as ox

    from thscp_kg.store.graph_store import LocalStore, build_year, stored_years

    with LocalStore(tmp_path / "store") as backend:
        backend.put_many([build_year(THSCP_2023_24), build_year(FIXTURE)])
        before = {y.key: y.triples for y in stored_years(backend)}

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(ox.Store, "bulk_load", interrupted)
        with pytest.raises(KeyboardInterrupt):
            backend.put_many([build_year(THSCP_2023_24)])
        monkeypatch.undo()
        after = {y.key: y.triples for y in stored_years(backend)}
        graph = "https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24"
        count = backend.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union=False)
    assert after == before
    assert int(count.rows[0][0]) == before["tower-hamlets/2023-24"]


@pytest.mark.parametrize("damage", ["truncated", "random"])
def test_a_damaged_store_is_exit_2(tmp_path, damage):
    """#6: before, a store with truncated or random files was exit 3 "internal error"."""
    store = tmp_path / ".thscp-store"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "thscp_kg"]
    assert subprocess.run([*cli, "load", str(FIXTURE), "--store", str(store), "-q"], cwd=ROOT, env=env,
                          capture_output=True, timeout=300).returncode == 0
    files = sorted(p for p in store.iterdir() if p.is_file() and p.stat().st_size > 0)
    for path in files:
        if damage == "truncated":
            with open(path, "r+b") as fh:
                fh.truncate(max(0, path.stat().st_size // 3))
        else:
            path.write_bytes(os.urandom(max(64, path.stat().st_size)))
    proc = subprocess.run([*cli, "check", "--store", str(store), "--output-dir", str(tmp_path / "o")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "the store is damaged; delete it and load again" in lines[0], proc.stderr


def _children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (from /proc; zombies count as gone)."""
    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and /proc are Linux's")
def test_build_workers_die_with_a_killed_load(tmp_path):
    """#6: kill -9 of a multi-year `load` left its build workers running for ever (they wait on a
    queue whose other end they hold themselves); with PR_SET_PDEATHSIG they die with it."""
    import signal
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "thscp_kg", "load", "data/tower-hamlets/", "-j", "2", "-q",
                             "--store", str(tmp_path / "store")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.05)
        assert len(workers) >= 2, "the load finished before its workers could be seen"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = sorted(w for w in workers if _alive(w))
        assert not left, f"build workers {left} outlived the killed load"
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:  # only the processes this test started
            if _alive(w):
                os.kill(w, signal.SIGKILL)


# -- #4 (rest): check --store says which years it expected and found -----------------------------------
TH_GRAPH = "https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24"


def _store_cli(*args: str):
    from conftest import run_main

    return run_main(*args, cwd=ROOT)


def _loaded_store(tmp_path):
    store = tmp_path / "store"
    result = _store_cli("load", str(THSCP_2023_24), str(FIXTURE), "--store", str(store), "-q")
    assert result.returncode == 0, result.stderr
    return store


def test_check_store_names_the_expected_years_it_checked(tmp_path):
    store = _loaded_store(tmp_path)
    result = _store_cli("check", "--store", str(store), "--output-dir", str(tmp_path / "out"))
    assert result.returncode in (0, 1), result.stderr
    assert "Checked 2 of 2 expected partnership-year(s)" in result.stdout
    import json
    report = json.loads((tmp_path / "out" / "store-check.json").read_text())
    assert report["expected"] == 2 and report["missing"] == []


@pytest.mark.parametrize("how", ["DROP GRAPH", "CLEAR GRAPH"])
def test_a_year_deleted_behind_the_stores_back_is_exit_2(tmp_path, how):
    """Before: check --store silently checked the years that were left (exit 1 on the fixture's findings)."""
    from thscp_kg.store.graph_store import LocalStore

    store = _loaded_store(tmp_path)
    with LocalStore(store) as backend:
        backend.update(f"{how} <{TH_GRAPH}>")
    out = tmp_path / "out"
    result = _store_cli("check", "--store", str(store), "--output-dir", str(out))
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "the store holds 1 of 2 expected partnership-years; missing: tower-hamlets/2023-24" in lines[0]
    assert " Fix: " in lines[0] and "thscp-kg load" in lines[0]
    assert not out.exists(), "nothing is written for an incomplete store"


def test_a_year_whose_contents_entry_is_gone_is_missing(tmp_path):
    from thscp_kg.store.graph_store import CONTENTS, LocalStore

    store = _loaded_store(tmp_path)
    with LocalStore(store) as backend:
        backend.update(f"DELETE WHERE {{ GRAPH <{CONTENTS}> {{ <{TH_GRAPH}> ?p ?o }} }}")
    result = _store_cli("check", "--store", str(store), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 2 and "missing: tower-hamlets/2023-24" in result.stderr, result.stderr


def test_an_interrupted_first_load_is_reported_by_check_store(tmp_path, monkeypatch):
    """A load killed after its first year: the second file was never stored. Before: check --store
    checked the one year and passed it off as the whole store."""
    from thscp_kg.store import graph_store as gs

    real_build = gs.build_year
    calls = []

    def build_then_die(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a kill mid-load
        return real_build(path, *args, **kwargs)

    monkeypatch.setattr(gs, "build_year", build_then_die)
    monkeypatch.setattr(gs, "BATCH_TRIPLES", 1)  # each year is written as soon as it is built
    with gs.LocalStore(tmp_path / "store") as backend:
        with pytest.raises(KeyboardInterrupt):
            gs.load_files(backend, [FIXTURE, THSCP_2023_24])
    monkeypatch.undo()
    result = _store_cli("check", "--store", str(tmp_path / "store"), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "the store holds 1 of 2 expected partnership-years; missing: tower-hamlets/2023-24" in result.stderr
    assert "did not finish" in result.stderr


def test_loading_the_missing_year_again_completes_the_store(tmp_path):
    from thscp_kg.store.graph_store import LocalStore

    store = _loaded_store(tmp_path)
    with LocalStore(store) as backend:
        backend.update(f"DROP GRAPH <{TH_GRAPH}>")
    assert _store_cli("load", str(THSCP_2023_24), "--store", str(store), "-q").returncode == 0
    result = _store_cli("check", "--store", str(store), "--output-dir", str(tmp_path / "out"))
    assert result.returncode in (0, 1) and "Checked 2 of 2 expected" in result.stdout, result.stderr
