"""The governance graph: a networkx ``MultiDiGraph`` read from the materialised RDF graph.

How computed: every node is keyed by its data-file id (``scp:localId``, e.g. ``group/delivery-group``)
and carries ``kind`` (partnership, group, board, organisation, post, person, priority), ``label``,
``iri`` and ``line``, plus kind-specific attributes (``group_kind``, ``board_kind``, ``link``,
``role``, ``holder``). Edges are keyed by their type:

    reports_to     group → group              chaired_by   group → post (or → organisation, rotating)
    member_of      organisation/post → group  links_to     partnership → board (attribute ``link``)
    leads_priority organisation/post → priority
    delivered_by   priority → group           holds        person → post (on the as-of date)
    delegates_to   lead safeguarding partner post → delegated safeguarding partner post (same partner)
    post_in        post → organisation        partner_of   organisation → partnership
    executive_of   executive group → partnership

Nodes and edges are inserted in sorted order, so the same RDF gives the same graph. It reads
RDF only (never the YAML) and expects ``materialise`` to have run (``scp:asOf``,
``scp:holdsPostOnAsOf``, ``scp:governedBy``).
"""
from __future__ import annotations

from typing import Iterable, Iterator

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..build.graph import BOARD_CLASS, GROUP_CLASS, ORG_CLASS, ROLE_CONCEPT
from ..namespaces import ORG, SCP

GROUP_KIND = {cls: kind.value for kind, cls in GROUP_CLASS.items()}
BOARD_KIND = {cls: kind.value for kind, cls in BOARD_CLASS.items()}
ORG_KIND = {cls: kind.value for kind, cls in ORG_CLASS.items()}
ROLE = {concept: role.value for role, concept in ROLE_CONCEPT.items()}
EDGE_TYPES = ("reports_to", "chaired_by", "member_of", "links_to", "leads_priority", "delivered_by",
              "holds", "delegates_to", "post_in", "partner_of", "executive_of")


class _Builder:
    def __init__(self, rdf: Graph, year: URIRef) -> None:
        self.rdf, self.year = rdf, year
        self.nodes: dict[str, dict] = {}
        self.edges: set[tuple[str, str, str, tuple]] = set()

    def key(self, node) -> str:
        local = self.rdf.value(node, SCP.localId)
        return str(local) if local is not None else str(node)

    def node(self, node, kind: str, **attrs) -> str:
        key = self.key(node)
        label = self.rdf.value(node, RDFS.label)
        line = self.rdf.value(node, SCP.sourceLine)
        entry = self.nodes.setdefault(key, {"kind": kind, "label": str(label) if label is not None else key,
                                            "iri": str(node), "line": int(line) if line is not None else None})
        entry.update({k: v for k, v in attrs.items() if v is not None})
        return key

    def edge(self, u: str, v: str, kind: str, **attrs) -> None:
        self.edges.add((u, v, kind, tuple(sorted(attrs.items()))))

    def typed(self, node, table: dict) -> str | None:
        kinds = sorted(table[c] for c in self.rdf.objects(node, RDF.type) if c in table)
        return kinds[0] if kinds else None

    def objects(self, subject, prop) -> list:
        return sorted(self.rdf.objects(subject, prop))

    def organisation(self, node) -> str:
        return self.node(node, "organisation", org_kind=self.typed(node, ORG_KIND))


def _year_node(rdf: Graph, year: URIRef | None) -> URIRef:
    if year is not None:
        return year
    years = sorted(rdf.subjects(RDF.type, SCP.PartnershipYear))
    if len(years) != 1:
        raise ValueError(f"expected one partnership-year in the graph, found {len(years)}; pass year=")
    return years[0]


def governance_graph(rdf: Graph, year: URIRef | None = None) -> nx.MultiDiGraph:
    """Build the governance graph of one partnership-year from its materialised RDF graph."""
    year = _year_node(rdf, year)
    b = _Builder(rdf, year)
    partnership = rdf.value(year, SCP.partnership)
    p_key = b.node(partnership, "partnership", short_name=_text(rdf.value(partnership, SCP.shortName)))
    for org in b.objects(year, SCP.hasSafeguardingPartner):
        b.edge(b.organisation(org), p_key, "partner_of")
        b.nodes[b.key(org)]["safeguarding_partner"] = True
    for post in b.objects(year, SCP.hasPost):
        roles = tuple(sorted(ROLE.get(r, "other") for r in rdf.objects(post, ORG.role))) or ("other",)
        # A post with several roles is titled by its primary one; ``roles`` has them all.
        role = ROLE.get(rdf.value(post, SCP.primaryRole), roles[0]) if len(roles) > 1 else roles[0]
        holder = rdf.value(post, SCP.holdsPostOnAsOf)
        key = b.node(post, "post", role=role, roles=roles)
        b.nodes[key]["holder"] = b.node(holder, "person") if holder is not None else None
        if holder is not None:
            b.edge(b.key(holder), key, "holds")
        for org in b.objects(post, ORG.postIn):
            b.edge(key, b.organisation(org), "post_in")
        partner = rdf.value(post, SCP.forPartner) or rdf.value(post, ORG.postIn)
        b.nodes[key]["partner"] = b.organisation(partner) if partner is not None else None
    for group in b.objects(year, SCP.hasGroup):
        kind = b.typed(group, GROUP_KIND)
        key = b.node(group, "group", group_kind=kind)
        if kind == "executive":
            b.edge(key, p_key, "executive_of")
        for parent in b.objects(group, SCP.reportsTo):
            b.edge(key, b.node(parent, "group", group_kind=b.typed(parent, GROUP_KIND)), "reports_to")
        for post in b.objects(group, SCP.chairPost):
            b.edge(key, b.node(post, "post"), "chaired_by")
        for org in b.objects(group, SCP.chairRotatesBetween):
            b.edge(key, b.organisation(org), "chaired_by", rotating=True)
        for org in b.objects(group, SCP.memberOrganisation):
            b.edge(b.organisation(org), key, "member_of")
        for post in b.objects(group, SCP.memberPost):
            b.edge(b.node(post, "post"), key, "member_of")
    for link in b.objects(year, SCP.hasBoardLink):
        board = rdf.value(link, SCP.board)
        statutory = rdf.value(board, SCP.statutory)
        text = _text(rdf.value(link, SCP.linkDescription))
        key = b.node(board, "board", board_kind=b.typed(board, BOARD_KIND),
                     statutory=statutory.toPython() if isinstance(statutory, Literal) else None, link=text)
        b.edge(p_key, key, "links_to", described=text is not None)
    for prio in b.objects(year, SCP.hasPriority):
        key = b.node(prio, "priority")
        for org in b.objects(prio, SCP.leadOrganisation):
            b.edge(b.organisation(org), key, "leads_priority")
        for post in b.objects(prio, SCP.leadPost):
            b.edge(b.node(post, "post"), key, "leads_priority")
        for group in b.objects(prio, SCP.deliveredBy):
            b.edge(key, b.node(group, "group"), "delivered_by")
    _delegations(b)
    return _assemble(b, rdf, year)


def _delegations(b: _Builder) -> None:
    posts = {k: v for k, v in b.nodes.items() if v["kind"] == "post"}
    for lsp, attrs in sorted(posts.items()):
        if attrs.get("role") != "lead-safeguarding-partner" or not attrs.get("partner"):
            continue
        for dsp, other in sorted(posts.items()):
            if other.get("role") == "delegated-safeguarding-partner" and other.get("partner") == attrs["partner"]:
                b.edge(lsp, dsp, "delegates_to")


def _assemble(b: _Builder, rdf: Graph, year: URIRef) -> nx.MultiDiGraph:
    as_of = rdf.value(year, SCP.asOf)
    edition = rdf.value(year, SCP.governedBy)
    g = nx.MultiDiGraph(
        year=b.key(year), year_iri=str(year), year_label=_text(rdf.value(year, RDFS.label)) or b.key(year),
        year_line=_int(rdf.value(year, SCP.sourceLine)),
        partnership=next(k for k, v in b.nodes.items() if v["kind"] == "partnership"),
        as_of=as_of.toPython().isoformat() if isinstance(as_of, Literal) else None,
        edition=str(edition).rsplit("#", 1)[-1] if edition is not None else None,
        edition_basis=_text(rdf.value(year, SCP.editionBasis)) or "")
    for key in sorted(b.nodes):
        g.add_node(key, **b.nodes[key])
    for u, v, kind, attrs in sorted(b.edges):
        g.add_edge(u, v, key=kind, type=kind, **dict(attrs))
    return g


def _text(value) -> str | None:
    return str(value) if value is not None else None


def _int(value) -> int | None:
    return int(value) if value is not None else None


# -- queries the checks, measures and diagram share ---------------------------------------
def nodes_of(g: nx.MultiDiGraph, kind: str) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["kind"] == kind]


def out_of(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Targets of ``node``'s outgoing edges of one type, sorted."""
    return sorted(v for _, v, k in g.out_edges(node, keys=True) if k == kind)


def into(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Sources of ``node``'s incoming edges of one type, sorted."""
    return sorted(u for u, _, k in g.in_edges(node, keys=True) if k == kind)


def edges_of(g: nx.MultiDiGraph, kind: str) -> Iterator[tuple[str, str, dict]]:
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == kind:
            yield u, v, d


def label(g: nx.MultiDiGraph, node: str) -> str:
    return g.nodes[node]["label"] if node in g else node


def labels(g: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    return [label(g, n) for n in nodes]


def posts_held(g: nx.MultiDiGraph, person: str) -> list[str]:
    return out_of(g, person, "holds")


def executives(g: nx.MultiDiGraph) -> list[str]:
    return [n for n in nodes_of(g, "group") if g.nodes[n].get("group_kind") == "executive"]
