"""Issue 14 #2 and #15: small files with hostile governance graphs stay cheap and say what they left out.

A 96 KB file with 1,000 groups in a loop once wrote 798 MB of reports: every loop finding repeated
the whole loop, every pair of groups was compared and listed, betweenness ran on the whole graph
and Graphviz was given thousands of boxes. These tests check the bounds themselves (counts and
sizes, never time: the time and memory targets are in bench/hostile_graphs.py).
"""
from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("hostile_graphs", ROOT / "bench" / "hostile_graphs.py")
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)


def _check(tmp_path, shape: str, n: int):
    from thscp_kg.pipeline import check_file

    path = tmp_path / "2024-25.yaml"
    path.write_text(hostile.hostile_file(shape, n), encoding="utf-8")
    return check_file(path)


def _graph_findings(run, requirement: str):
    return [f for f in run.assessment.findings if f.requirement == requirement]


def test_a_long_reporting_chain_gives_short_messages(tmp_path):
    run = _check(tmp_path, "loop", 200)
    gov01 = _graph_findings(run, "GOV-01")
    assert len(gov01) == 199  # every group on the loop: its line never reaches the executive
    longest = max(len(f.message) + len(f.value or "") for f in gov01)
    assert longest < 800, longest  # the trail is shortened, not 199 names long
    assert "(200 in all)" in gov01[0].value


def test_one_loop_is_one_finding(tmp_path):
    run = _check(tmp_path, "loop", 200)
    gov02 = _graph_findings(run, "GOV-02")
    assert [f.focus for f in gov02] == ["group/g0"]
    assert gov02[0].message.startswith("199 groups report in a loop (Group 0 → Group 1 → ")


def test_reporting_chains_at_the_cap_still_reach_the_executive(tmp_path):
    run = _check(tmp_path, "chain", 200)
    assert _graph_findings(run, "GOV-01") == [] and _graph_findings(run, "GOV-02") == []


def test_dense_membership_lists_a_bounded_number_of_pairs_and_says_so(tmp_path):
    from thscp_kg.analysis.measures import MAX_OVERLAPS_LISTED, compute_measures
    from thscp_kg.analysis.graph import governance_graph

    m = compute_measures(governance_graph(_check(tmp_path, "dense", 200).graph))
    assert len(m.overlaps) == MAX_OVERLAPS_LISTED
    assert m.limits == [f"Membership overlap: the {MAX_OVERLAPS_LISTED} most alike of 19,900 overlapping pairs are listed."]
    assert json.loads(json.dumps(m.to_dict()))["limits"] == m.limits


def test_overlap_and_betweenness_are_skipped_above_their_limits(tmp_path, monkeypatch):
    from thscp_kg.analysis import measures
    from thscp_kg.analysis.graph import governance_graph

    g = governance_graph(_check(tmp_path, "dense", 60).graph)
    monkeypatch.setattr(measures, "MAX_OVERLAP_PAIRS", 100)
    monkeypatch.setattr(measures, "MAX_BETWEENNESS_NODES", 20)
    m = measures.compute_measures(g)
    assert m.overlaps == [] and all(c.betweenness is None for c in m.centrality)
    assert len(m.limits) == 2 and "not computed" in m.limits[0] and "Betweenness is not computed" in m.limits[1]


def test_an_ordinary_partnership_reports_no_limits(thscp_run):
    from thscp_kg.analysis.graph import governance_graph
    from thscp_kg.analysis.measures import compute_measures

    m = compute_measures(governance_graph(thscp_run.graph))
    assert m.limits == [] and "limits" not in m.to_dict()
    assert all(c.betweenness is not None for c in m.centrality)


def test_the_layout_is_chosen_by_size_and_stated(tmp_path, monkeypatch):
    """#15: above DOT_MAX_BOXES the built-in layout is used whether or not dot is installed."""
    from thscp_kg.analysis import diagram
    from thscp_kg.analysis.outputs import governance_outputs
    from thscp_kg.rules.catalogue import load_catalogue

    run = _check(tmp_path, "chain", 30)
    monkeypatch.setattr(diagram.shutil, "which", lambda name: "/nonexistent/dot")  # dot must not be run
    monkeypatch.setattr(diagram, "DOT_MAX_BOXES", 10)
    out = governance_outputs(run.loaded, run.graph, load_catalogue())
    assert out.layout == "builtin"
    assert "laid out by the built-in layout" in out.files["governance-measures.md"]


@pytest.mark.parametrize("field,count", [("groups", 201), ("posts", 501)])
def test_too_many_entities_is_one_clear_error(tmp_path, capsys, field, count):
    from thscp_kg.cli import main

    text = (ROOT / "tests" / "bad_inputs" / "valid.yaml").read_text(encoding="utf-8")
    if field == "groups":
        extra = "".join(f"  - id: extra-{i}\n    name: Extra {i}\n    kind: sub-group\n" for i in range(count - 2))
        text = text.replace("priorities:\n", extra + "priorities:\n", 1)
    else:
        extra = "".join(f"  - id: extra-{i}\n    title: Extra {i}\n    organisation: council\n" for i in range(count - 1))
        text = text.replace("groups:\n", extra + "groups:\n", 1)
    path = tmp_path / "2024-25.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["check", str(path), "--output-dir", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"'{field}' lists {count} entries; a partnership-year may list at most" in err[0]
    assert f"2024-25.yaml:" in err[0] and " Fix: " in err[0]
    assert not out.exists()
