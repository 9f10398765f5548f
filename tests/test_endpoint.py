"""The same load, query and checks against a real SPARQL 1.1 endpoint: an Oxigraph server.

The server is the ``oxigraph`` CLI from PyPI (a test dependency), started on 127.0.0.1 with a
free port and a temporary folder, and always stopped in ``finally`` with bounded waits. All
traffic stays on the loopback interface.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, run_main

THSCP = ROOT / "data" / "tower-hamlets"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def _oxigraph() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    binary = _oxigraph()
    assert binary, "the oxigraph server CLI is a test dependency (pip install oxigraph): install the test extras"
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = open(location.parent / f"oxigraph-{port}.log", "w")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"oxigraph serve exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"oxigraph serve did not answer within {START_TIMEOUT} s")
            time.sleep(0.1)
        yield f"{base}/query"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT)
        log.close()


def cli(*args: str) -> subprocess.CompletedProcess:
    """``thscp-kg ARGS`` in this process (conftest.run_main): what is under test here is the endpoint, a
    real server process; exit codes and streams of a real ``thscp-kg`` process are tests/test_cli.py's."""
    return run_main(*args, cwd=ROOT)


@pytest.fixture(scope="module")
def loaded(endpoint):
    result = cli("load", str(THSCP), "--endpoint", endpoint)
    assert result.returncode == 0, result.stderr
    return endpoint


def _years() -> list[Path]:
    from thscp_kg.store.graph_store import data_files
    return data_files([THSCP])


def test_every_thscp_year_is_stored_at_the_endpoint(loaded) -> None:
    from thscp_kg.store.graph_store import Endpoint, stored_years

    keys = [y.key for y in stored_years(Endpoint(loaded))]
    assert keys == [f"tower-hamlets/{p.stem}" for p in _years()]
    assert "tower-hamlets/2023-24" in keys


def test_checks_through_the_endpoint_match_check_file(loaded, tmp_path) -> None:
    from parsed_once import parsed_once

    from thscp_kg.pipeline import check_file

    result = cli("check", "--endpoint", loaded, "--output-dir", str(tmp_path), "--engine", "fast")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads((tmp_path / "store-check.json").read_text())
    assert report["store"] == loaded and report["checked"] == len(_years())
    by_year = {y["period"]: y["findings"] for y in report["years"]}
    for path in _years():
        with parsed_once():  # pySHACL, each query text parsed once and proven unchanged at each use
            want = [f.to_json() for f in check_file(path, use_waivers=False, engine="reference").assessment.findings]
        got = by_year[path.stem]
        for f in want + got:
            f.pop("location", None), f.pop("waiver", None)
        key = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
        assert sorted(map(key, got)) == sorted(map(key, want)), path.name
    assert by_year["2023-24"], "THSCP 2023-24 has findings"


def test_query_through_the_endpoint(loaded) -> None:
    result = cli("query", "--endpoint", loaded, "--format", "json",
                 "SELECT ?g WHERE { GRAPH ?g { ?y a scp:PartnershipYear } } ORDER BY ?g")
    assert result.returncode == 0, result.stderr
    graphs = [b["g"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]]
    assert graphs == [f"https://w3id.org/thscp-kg/id/tower-hamlets/year/{p.stem}" for p in _years()]


def test_unreachable_endpoint_is_a_one_line_error() -> None:
    port = _free_port()  # nothing listens there
    result = cli("check", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert result.returncode == 2
    assert "could not be reached" in result.stderr and result.stderr.count("\n") == 1


def test_a_year_dropped_at_the_endpoint_is_reported_missing(loaded, tmp_path) -> None:
    """Issue 14 #4 at an endpoint: before, check --endpoint checked the years left and passed them off
    as the whole store."""
    from thscp_kg.store.graph_store import Endpoint

    Endpoint(loaded).update("DROP GRAPH <https://w3id.org/thscp-kg/id/tower-hamlets/year/2021-22>")
    try:
        result = cli("check", "--endpoint", loaded, "--output-dir", str(tmp_path / "out"))
        assert result.returncode == 2, result.stderr
        assert ("the store holds 5 of 6 expected partnership-years; missing: tower-hamlets/2021-22 "
                "(its graph is gone from the store)") in result.stderr
    finally:
        assert cli("load", str(THSCP / "2021-22.yaml"), "--endpoint", loaded).returncode == 0
    again = cli("check", "--endpoint", loaded, "--output-dir", str(tmp_path / "again"), "--format", "text")
    assert again.returncode in (0, 1) and "Checked 6 of 6 expected" in again.stdout, again.stderr
