"""Issue 14 #7: a query reaches no other server unless asked, and CSV answers cannot run formulas."""
from __future__ import annotations

import csv
import io

import pytest

from thscp_kg.commands.query import answer
from thscp_kg.errors import ConfigError
from thscp_kg.store.graph_store import LocalStore

SERVICE_QUERY = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


@pytest.fixture()
def store(tmp_path):
    with LocalStore(tmp_path / "store") as backend:
        backend.update('INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:name> "=HYPERLINK(\\"http://x\\",\\"y\\")" . '
                       '<urn:b> <urn:name> "@SUM(A1)" . <urn:c> <urn:name> "-2+3" . <urn:d> <urn:name> "plain" } }')
        yield backend


@pytest.mark.parametrize("query", [SERVICE_QUERY, "select * { service silent <urn:x> { ?s ?p ?o } }"])
def test_service_is_refused_unless_asked_for(store, query):
    with pytest.raises(ConfigError, match="uses SERVICE"):
        answer(store, query, "csv")


def test_the_word_service_inside_a_string_is_not_a_service_clause(store):
    out = answer(store, 'SELECT ?n WHERE { ?s <urn:name> ?n FILTER(?n != "SERVICE") } ORDER BY ?n', "csv")
    assert out.count("\r\n") == 5


def test_csv_cells_that_would_be_formulas_are_shown_as_text(store):
    out = answer(store, "SELECT ?n WHERE { ?s <urn:name> ?n } ORDER BY ?n", "csv")
    cells = [row[0] for row in csv.reader(io.StringIO(out))][1:]
    assert sorted(cells) == sorted(["'-2+3", "'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1)", "plain"])
