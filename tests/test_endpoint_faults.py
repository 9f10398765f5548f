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
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
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
