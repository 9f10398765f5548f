"""Issue 14 #8 (part): a misbehaving endpoint is a clear exit-2 error, and its body is bounded."""
from __future__ import annotations

import http.server
import threading

import pytest

from thscp_kg.errors import ConfigError


@pytest.fixture()
def server():
    answers = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body, ctype = answers["next"]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # a short poll: shutdown() waits for the loop's next poll, 0.5 s a test at the default
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/query", answers
    httpd.shutdown()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"head": {"vars": ["x"]}, "results": 5}',
                                  b'{"head": 3}'])
def test_malformed_results_are_a_config_error(server, body):
    from thscp_kg.store.graph_store import Endpoint

    url, answers = server
    answers["next"] = (body, "application/sparql-results+json")
    with pytest.raises(ConfigError, match="not SPARQL JSON results"):
        Endpoint(url).select("SELECT * WHERE { ?s ?p ?o }")


def test_an_oversized_body_is_refused_without_reading_it_all(server, monkeypatch):
    from thscp_kg.store import graph_store as store

    url, answers = server
    answers["next"] = (b'{"head": {"vars": []}, "results": {"bindings": []}}' + b" " * 5000,
                       "application/sparql-results+json")
    monkeypatch.setattr(store, "MAX_RESPONSE_BYTES", 1000)
    with pytest.raises(ConfigError, match="more than 1,000 bytes"):
        store.Endpoint(url).select("SELECT * WHERE { ?s ?p ?o }")


# -- #8: a total deadline for the whole request, and no redirect to another scheme or server -----------
import time


@pytest.fixture()
def misbehaving():
    """A server that drips its answer one byte a second (headers and body), or redirects."""
    behaviour = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            behaviour.setdefault("seen", []).append(("GET", self.path, ""))
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            form = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            behaviour.setdefault("seen", []).append(("POST", self.path, form))
            kind = behaviour.get(self.path, behaviour["kind"])
            if kind.startswith("redirect:"):
                self.send_response(int(behaviour.get("code", 307)))
                self.send_header("Location", kind.removeprefix("redirect:"))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if kind == "ok":
                body = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            try:
                for i in range(len(body)):  # a byte every 0.2 s: every read is fast, the whole is not
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    # a short poll: shutdown() waits for the loop's next poll, 0.5 s a test at the default
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", behaviour
    httpd.shutdown()


def test_a_dripping_endpoint_is_cut_off_at_the_total_deadline(misbehaving):
    """Before: the 60 s timeout was per read, so one byte a second went on for as long as the server liked."""
    from thscp_kg.store.graph_store import Endpoint

    base, behaviour = misbehaving
    behaviour["kind"] = "drip"
    start = time.monotonic()
    with pytest.raises(ConfigError, match=r"did not answer in full within 1 s"):
        Endpoint(base + "/query", timeout=1).select("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - start < 3  # the whole body would take 10 s


@pytest.mark.parametrize("code", [302, 307])
@pytest.mark.parametrize("target", ["ftp://127.0.0.1/query", "file:///etc/passwd"])
def test_a_redirect_to_another_scheme_is_refused(misbehaving, target, code):
    """Before: urllib followed a 302 to ftp:// (file:// and 307 gave an HTTP 'error' hiding the cause)."""
    from thscp_kg.store.graph_store import Endpoint

    base, behaviour = misbehaving
    behaviour["kind"] = "redirect:" + target
    behaviour["code"] = code
    with pytest.raises(ConfigError, match="redirected to another scheme") as info:
        Endpoint(base + "/query").select("SELECT * WHERE { ?s ?p ?o }")
    assert target.split(":")[0] in str(info.value) and " Fix: " in str(info.value)


def test_a_redirect_to_another_server_is_refused(misbehaving):
    from thscp_kg.store.graph_store import Endpoint

    base, behaviour = misbehaving
    behaviour["kind"] = "redirect:http://192.0.2.1:7878/query"  # TEST-NET-1: never contacted
    with pytest.raises(ConfigError, match="redirected to another server"):
        Endpoint(base + "/query").select("SELECT * WHERE { ?s ?p ?o }")


def test_a_redirect_on_the_same_server_keeps_the_query(misbehaving):
    """A same-origin redirect (e.g. /query -> /query/) is followed with the same POST, not turned into a GET
    without the query (before: urllib re-sent a 302 as an empty GET)."""
    from thscp_kg.store.graph_store import Endpoint

    base, behaviour = misbehaving
    behaviour["kind"] = "redirect:" + base + "/query/"
    behaviour["code"] = 302
    behaviour["/query/"] = "ok"
    rows = Endpoint(base + "/query").select("SELECT ?x WHERE { ?x ?p ?o }")
    assert rows.variables == ["x"]
    assert behaviour["seen"][-1][0] == "POST" and "query=" in behaviour["seen"][-1][2]


def test_the_cli_gives_one_line_for_a_refused_redirect(misbehaving, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    base, behaviour = misbehaving
    behaviour["kind"] = "redirect:ftp://127.0.0.1/query"
    proc = subprocess.run([sys.executable, "-m", "thscp_kg", "query", "--endpoint", base + "/query",
                           "SELECT * WHERE { ?s ?p ?o }"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "redirected to another scheme" in proc.stderr
