"""Governance and strategic-board network analysis: the graph, the checks, the measures, the diagram."""
from __future__ import annotations

import inspect
import json
import xml.etree.ElementTree as ET

import pytest
from conftest import REQUIREMENT_FIXTURES, THSCP_2023_24
from rdflib import Graph

from thscp_kg.analysis import diagram, governance_graph, registered, run_graph_checks
from thscp_kg.analysis.graph import EDGE_TYPES, edges_of
from thscp_kg.analysis.measures import compute_measures
from thscp_kg.analysis.picture import HIGHLIGHT
from thscp_kg.errors import ConfigError

SVG = "{http://www.w3.org/2000/svg}"
HAS_DOT = diagram.shutil.which("dot") is not None
THSCP_BOARDS = {"Tower Hamlets Safeguarding Adults Board", "Health and Wellbeing Board",
                "Community Safety Partnership Board", "Children and Families Executive"}


def _materialised(path):
    from thscp_kg.load.loader import load_partnership_year
    from thscp_kg.pipeline import as_of_for, build_materialised
    from thscp_kg.rules.profile import load_profile

    loaded = load_partnership_year(path)
    return loaded, build_materialised(loaded, load_profile(), as_of_for(loaded, None))


@pytest.fixture(scope="module")
def thscp_graph(thscp_run):
    return governance_graph(thscp_run.graph)


@pytest.fixture(scope="module")
def thscp_findings(thscp_run):
    return [f for f in thscp_run.assessment.findings if f.constraint == "graph-check"]


def _texts(svg: str) -> str:
    root = ET.fromstring(svg.encode("utf-8"))
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


# -- registry and catalogue ---------------------------------------------------------------------
def test_every_graph_requirement_has_exactly_one_check_and_vice_versa(catalogue):
    graph_reqs = sorted(r.id for r in catalogue.active() if r.assessment == "graph")
    checks = registered()
    assert sorted(checks) == graph_reqs
    assert len({fn for fn in checks.values()}) == len(checks), "one function per requirement"
    for req_id, fn in checks.items():
        assert fn.requirement_id == req_id
        doc = inspect.getdoc(fn) or ""
        assert "Fails" in doc and "Passes" in doc, f"{req_id}: docstring says when it fails and passes"


def test_registering_an_id_twice_is_refused():
    from thscp_kg.analysis.registry import graph_check

    with pytest.raises(ValueError, match="registered twice"):
        graph_check("GOV-01")(lambda ctx: None)


def test_graph_requirements_carry_honest_citations(catalogue):
    for r in (r for r in catalogue.active() if r.assessment == "graph"):
        assert r.area == "GOV" and r.sources
        if r.modality == "GP":
            assert r.severity == "info" and r.note and "local good practice" in r.note.lower(), r.id


# -- the governance graph -----------------------------------------------------------------------
def test_thscp_graph_has_the_executive_sub_groups_and_four_linked_boards(thscp_graph):
    g = thscp_graph
    kinds = {n: d.get("group_kind") for n, d in g.nodes(data=True) if d["kind"] == "group"}
    assert kinds["group/executive-group"] == "executive"
    assert {"group/qa-performance-group", "group/delivery-group", "group/rapid-review-panel",
            "group/education-safeguarding-forum"} <= set(kinds)
    boards = {d["label"] for _, d in g.nodes(data=True) if d["kind"] == "board"}
    assert boards == THSCP_BOARDS
    assert {k for _, _, k in g.edges(keys=True)} == set(EDGE_TYPES)
    assert ("group/qa-performance-group", "group/executive-group") in {(u, v) for u, v, _ in edges_of(g, "reports_to")}
    assert g.nodes["post/independent-scrutineer"]["holder"] == "person/laurelle-brown"
    assert g.nodes["post/icb-chief-executive"].get("holder") is None
    assert ("post/icb-chief-executive", "post/icb-associate-director-safeguarding-children") in \
        {(u, v) for u, v, _ in edges_of(g, "delegates_to")}


def test_graph_is_read_from_rdf_and_deterministic(thscp_run, thscp_graph):
    """Round-trip the RDF through Turtle (no YAML involved): the same nodes, edges and order."""
    again = governance_graph(Graph().parse(data=thscp_run.graph.serialize(format="turtle"), format="turtle"))
    assert list(again.nodes(data=True)) == list(thscp_graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(thscp_graph.edges(keys=True, data=True))
    assert list(thscp_graph.nodes) == sorted(thscp_graph.nodes)


def _same_as_networkx(view):
    """The view reads exactly as networkx's MultiDiGraph built by the same calls (issue 16)."""
    nxg = view.to_networkx()
    assert view.graph == nxg.graph
    assert (view.number_of_nodes(), view.number_of_edges()) == (nxg.number_of_nodes(), nxg.number_of_edges())
    assert list(view.nodes(data=True)) == list(nxg.nodes(data=True)) and list(view) == list(nxg)
    assert list(view.edges(keys=True, data=True)) == list(nxg.edges(keys=True, data=True))
    assert list(view.edges(keys=True)) == list(nxg.edges(keys=True)) and list(view.edges()) == list(nxg.edges())
    from thscp_kg.analysis.graph import EDGE_TYPES, into, out_of

    for n in nxg:
        assert list(view.out_edges(n, keys=True)) == list(nxg.out_edges(n, keys=True))
        assert list(view.in_edges(n, keys=True)) == list(nxg.in_edges(n, keys=True))
        assert view.nodes[n] == nxg.nodes[n] and n in view
        assert view.succ[n] == nxg.succ[n] and view.pred[n] == nxg.pred[n]
        for kind in EDGE_TYPES:   # the checks' helpers read both graphs' adjacency (succ, pred) alike
            out = sorted(v for _, v, k in nxg.out_edges(n, keys=True) if k == kind)
            assert out_of(view, n, kind) == out_of(nxg, n, kind) == out
            came = sorted(u for u, _, k in nxg.in_edges(n, keys=True) if k == kind)
            assert into(view, n, kind) == into(nxg, n, kind) == came


@pytest.mark.parametrize("fixture", ["thscp", "GOV-01/fail.yaml", "GOV-02/fail.yaml", "GOV-06/fail.yaml",
                                     "GOV-07/fail.yaml"])
def test_the_checks_view_is_the_networkx_graph(fixture, thscp_run):
    """The graph checks read a GovernanceGraph (no networkx import on `check --format json`); it has the
    same nodes, edges, attributes and iteration orders as the networkx graph the measures and diagram use."""
    from thscp_kg.analysis import governance_view

    rdf = thscp_run.graph if fixture == "thscp" else _materialised(REQUIREMENT_FIXTURES / fixture)[1]
    _same_as_networkx(governance_view(rdf))


def test_the_view_follows_networkx_semantics_for_repeated_and_dangling_edges():
    from thscp_kg.analysis import GovernanceGraph

    g = GovernanceGraph(year="y")
    g.add_node("b", kind="group")
    g.add_edge("b", "a", key="reports_to", type="reports_to")
    g.add_edge("c", "b", key="member_of", type="member_of", weight=1)
    g.add_edge("c", "b", key="member_of", type="member_of", other=2)   # same key: attributes merged
    g.add_edge("c", "b", key="chaired_by", type="chaired_by")
    g.add_edge("a", "b", key="reports_to", type="reports_to")
    g.add_node("a", kind="group")                                       # added by an edge first
    _same_as_networkx(g)
    assert g.has_edge("c", "b", "member_of") and not g.has_edge("b", "c")


def test_strongly_connected_components_are_networkx_s():
    """GOV-02's loop finder (a DFS, so that the check does not import networkx) gives networkx's components."""
    import random

    import networkx as nx

    from thscp_kg.analysis.checks.reporting import strongly_connected_components

    rng = random.Random(16)
    for case in range(300):
        n = rng.randint(1, 40)
        nodes = [f"group/g{i:02d}" for i in range(n)]
        edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 2 * n))]
        succ = {v: [] for v in nodes}
        for u, v in edges:
            succ[u].append(v)
        d = nx.DiGraph()
        d.add_nodes_from(nodes)
        d.add_edges_from(edges)
        ours = sorted(sorted(c) for c in strongly_connected_components(succ))
        assert ours == sorted(sorted(c) for c in nx.strongly_connected_components(d)), case
    long_chain = {f"g{i}": [f"g{i + 1}"] for i in range(5000)} | {"g5000": ["g0"]}   # no recursion limit
    assert [len(c) for c in strongly_connected_components(long_chain)] == [5001]


def test_holders_are_read_on_the_as_of_date():
    _, rdf = _materialised(REQUIREMENT_FIXTURES / "GOV-06" / "fail.yaml")
    g = governance_graph(rdf)
    assert g.nodes["post/director"]["holder"] == "person/busy"
    assert "person/former" not in g  # held posts only before the as-of date


# -- the checks on THSCP 2023-24 ----------------------------------------------------------------
def test_thscp_graph_findings(thscp_findings):
    got = sorted((f.requirement, f.focus, f.value or "") for f in thscp_findings)
    unlinked = ["data-dashboard-task-and-finish-group", "delivery-group", "education-safeguarding-forum",
                "effective-learning-group", "rapid-review-working-group", "strategic-exploitation-group"]
    assert got == sorted(
        [("GOV-01", f"group/{g}", "") for g in unlinked]
        + [("GOV-04", f"board/{b}", "") for b in ("children-and-families-executive",
                                                  "community-safety-partnership-board", "health-and-wellbeing-board")]
        + [("GOV-07", "group/data-dashboard-task-and-finish-group", "Laurelle Brown"),
           ("GOV-09", "post/icb-chief-executive", "lead safeguarding partner")]
        + [("GOV-08", "group/data-dashboard-task-and-finish-group", "members"),
           ("GOV-08", "group/education-safeguarding-forum", "chair")]
        + [("GOV-08", f"group/{g}", "members and chair") for g in (
            "delivery-group", "effective-learning-group", "qa-performance-group", "rapid-review-panel",
            "rapid-review-working-group", "strategic-exploitation-group")])


def test_graph_findings_carry_the_same_fields_as_shacl_ones(thscp_run, thscp_findings, catalogue):
    from rdflib import URIRef

    from thscp_kg.validate.results import _edition

    year = URIRef("https://w3id.org/thscp-kg/id/tower-hamlets/year/2023-24")
    for f in thscp_findings:
        req = catalogue.get(f.requirement)
        # WT2023 structural expectations are info while the year is transitional, as for SHACL findings.
        assert f.severity.value == ("info" if req.transitional else req.severity) and f.title == req.title
        assert f.shape == f.requirement and f.constraint == "graph-check"
        assert f.location.startswith("data/tower-hamlets/2023-24.yaml:"), f.location
        assert f.citations == tuple(s.model_dump() for s in req.sources)
        assert f.edition == "WT2023" and f.edition_basis.startswith(_edition(req, thscp_run.graph, year)[1])
        assert f.evidence, f"{f.focus}: the entity's evidence travels with the finding"
        assert f.fails_ci == (not req.unverified) and f.remediation
        assert set(f.to_json()) >= {"requirement", "severity", "status", "focus", "location", "citations",
                                    "verification", "edition", "evidence"}
    independence = next(f for f in thscp_findings if f.requirement == "GOV-07")
    assert "risk to independence" in independence.message and "Laurelle Brown" in independence.message


def test_thscp_graph_outcomes(thscp_run):
    status = {o.requirement: (o.status.value, o.targets) for o in thscp_run.assessment.outcomes}
    assert status["GOV-02"] == ("met", 9)
    assert status["GOV-03"] == ("met", 1)          # all four linked boards recorded
    assert status["GOV-07"] == ("not-met", 1)
    assert status["GOV-01"][0] == "not-evidenced"


def test_wt23_graph_checks_do_not_apply_under_wt2018():
    from thscp_kg.pipeline import check_file

    run = check_file(REQUIREMENT_FIXTURES / "GOV-03" / "pass-wt2018.yaml", requirement_ids=["GOV-03"])
    assert [o.status.value for o in run.assessment.outcomes] == ["not-applicable"]


def test_shacl_path_unchanged_when_only_shacl_requirements_run():
    from thscp_kg.pipeline import check_file

    run = check_file(THSCP_2023_24, requirement_ids=["WT23-SCR-01"])
    assert all(f.constraint != "graph-check" for f in run.assessment.findings)
    assert [o.requirement for o in run.assessment.outcomes] == ["WT23-SCR-01"]


def test_single_person_threshold_is_a_parameter(catalogue):
    loaded, rdf = _materialised(REQUIREMENT_FIXTURES / "GOV-06" / "fail.yaml")
    default = run_graph_checks(rdf, catalogue, loaded, ["GOV-06"])
    relaxed = run_graph_checks(rdf, catalogue, loaded, ["GOV-06"], params={"max_roles": 3})
    assert [f.focus for f in default.findings] == ["person/busy"]
    assert "3 groups and priorities (more than 2)" in default.findings[0].message
    assert relaxed.findings == []


# -- measures -----------------------------------------------------------------------------------
OVERLAP_YAML = (REQUIREMENT_FIXTURES / "GOV-08" / "pass.yaml").read_text().replace(
    "member_posts: [director-post]}",
    "member_organisations: [council, icb], member_posts: [director-post]}\n"
    "  - {id: audit, name: Audit Sub-group, kind: sub-group, reports_to: executive, chair: director-post, "
    "member_organisations: [police]}")


def test_measures_overlap_centrality_and_agencies(tmp_path):
    path = tmp_path / "overlap.yaml"
    path.write_text(OVERLAP_YAML)
    _, rdf = _materialised(path)
    m = compute_measures(governance_graph(rdf))
    agencies = {r.unit: (r.agencies, r.posts) for r in m.representation}
    assert agencies["group/executive"][0] == ("Borough Council", "Borough Police", "NHS Borough ICB")
    assert agencies["group/learning"] == (("Borough Council", "NHS Borough ICB"), ("Director",))
    pairs = {(o.unit_a, o.unit_b): o for o in m.overlaps}
    assert pairs[("group/executive", "group/learning")].agencies_jaccard == pytest.approx(0.6667)
    assert pairs[("group/audit", "group/learning")].posts_jaccard == 1.0   # the same chair post
    assert pairs[("group/audit", "group/learning")].agencies_jaccard == pytest.approx(0.3333)
    top = m.centrality[0]
    assert (top.node, top.kind) == ("post/director-post", "post") and top.betweenness > 0
    assert m.to_dict() == compute_measures(governance_graph(rdf)).to_dict()
    json.dumps(m.to_dict())  # plain data, ready for a table


def test_thscp_measures(thscp_graph):
    m = compute_measures(thscp_graph)
    rows = {r.unit: r for r in m.representation}
    assert rows["group/executive-group"].agency_count == 3
    assert {c.kind for c in m.centrality} == {"post", "person"}
    assert m.centrality == sorted(m.centrality, key=lambda c: (-c.betweenness, -c.degree, c.node))


# -- the diagram --------------------------------------------------------------------------------
def _check_svg(svg: str) -> str:
    texts = _texts(svg)  # parses as XML
    assert "Executive Group" in texts and "Legend" in svg
    for board in ("Health and Wellbeing Board", "Children and Families", "Community Safety"):
        assert board in texts
    return texts


def test_fallback_layout_needs_no_external_tools(monkeypatch, thscp_graph, thscp_findings):
    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    svg, used = diagram.render_svg(thscp_graph, thscp_findings)
    assert used == "builtin"
    _check_svg(svg)
    root = ET.fromstring(svg.encode("utf-8"))
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "n-group-data-dashboard-task-and-finish-group")
    assert group.find(f"{SVG}rect").get("stroke") == HIGHLIGHT          # GOV-07, a warning
    executive = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "n-group-executive-group")
    assert executive.find(f"{SVG}rect").get("stroke") != HIGHLIGHT
    assert root.get("width").endswith("mm") and float(root.get("width")[:-2]) <= 277
    assert diagram.render_svg(thscp_graph, thscp_findings)[0] == svg            # same bytes


def test_fallback_draws_missing_boards_as_highlighted_placeholders(monkeypatch, catalogue):
    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    loaded, rdf = _materialised(REQUIREMENT_FIXTURES / "GOV-03" / "fail.yaml")
    run = run_graph_checks(rdf, catalogue, loaded, ["GOV-03"])
    svg, _ = diagram.render_svg(run.graph, run.findings)
    root = ET.fromstring(svg.encode("utf-8"))
    placeholder = next(g for g in root.iter(f"{SVG}g")
                       if g.get("id") == "n-missing-community-safety-partnership")
    assert placeholder.find(f"{SVG}rect").get("stroke") == HIGHLIGHT
    assert "(not recorded)" in _texts(svg)


def test_layout_dot_without_graphviz_is_a_clear_error(monkeypatch, thscp_graph):
    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    with pytest.raises(ConfigError, match="dot"):
        diagram.render_svg(thscp_graph, [], "dot")


HOSTILE = 'Panel <script>alert("x")</script> & \'Co\' \\N \\"end'


@pytest.mark.parametrize("layout", ["builtin", pytest.param("dot", marks=pytest.mark.skipif(
    not HAS_DOT, reason="Graphviz dot not installed"))])
def test_all_text_is_escaped(tmp_path, layout):
    text = (REQUIREMENT_FIXTURES / "GOV-08" / "pass.yaml").read_text().replace(
        "name: Learning Sub-group", "name: " + json.dumps(HOSTILE))
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    _, rdf = _materialised(path)
    svg, used = diagram.render_svg(governance_graph(rdf), [], layout)
    assert used == layout
    assert "<script" not in svg
    texts = _texts(svg)
    assert "alert(" in texts and "&" in texts and "\\N" in texts


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz dot not installed")
def test_dot_layout_is_clean_and_deterministic(thscp_graph, thscp_findings):
    svg, used = diagram.render_svg(thscp_graph, thscp_findings, "dot")
    assert used == "dot"
    _check_svg(svg)
    assert "<!--" not in svg and "graphviz version" not in svg.lower()
    assert HIGHLIGHT in svg
    assert diagram.render_svg(thscp_graph, thscp_findings, "dot")[0] == svg


# -- the command ---------------------------------------------------------------------------------
def test_graph_command_writes_the_three_files(tmp_path, monkeypatch, capsys):
    from thscp_kg.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["graph", str(THSCP_2023_24), "--layout", "builtin"]) == 0
    folder = tmp_path / "reports" / "tower-hamlets" / "2023-24"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["governance-measures.json", "governance-measures.md", "governance.svg"]
    assert "layout: builtin" in capsys.readouterr().out
    md = (folder / "governance-measures.md").read_text()
    assert "GOV-07" in md and "## Centrality of posts and people" in md
    data = json.loads((folder / "governance-measures.json").read_text())
    assert data["partnership"] == "tower-hamlets" and {f["requirement"] for f in data["findings"]} >= {"GOV-07"}
    first = {n: (folder / n).read_bytes() for n in names}
    assert main(["graph", str(THSCP_2023_24), "--layout", "builtin", "--output-dir", "again", "-q"]) == 0
    assert {n: (tmp_path / "again" / n).read_bytes() for n in names} == first


def test_graph_command_rejects_a_bad_threshold(capsys):
    from thscp_kg.cli import main

    assert main(["graph", str(THSCP_2023_24), "--max-roles", "0"]) == 2
    assert "--max-roles" in capsys.readouterr().err
