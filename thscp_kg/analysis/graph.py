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

The graph checks read it through ``governance_view``: a ``GovernanceGraph``, the same nodes, edges,
attributes and iteration order with the part of networkx's ``MultiDiGraph`` interface they use, so a
check whose outputs need no measure or diagram (``check --format json``) does not import networkx
(0.16–0.2 s; issue 16, docs/decisions/0022-cold-start-imports-and-suite-time.md). ``governance_graph``
and ``GovernanceGraph.to_networkx`` give the networkx graph the measures and the diagram use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..build.graph import BOARD_CLASS, GROUP_CLASS, ORG_CLASS, ROLE_CONCEPT
from ..namespaces import ORG, SCP

GROUP_KIND = {cls: kind.value for kind, cls in GROUP_CLASS.items()}
BOARD_KIND = {cls: kind.value for kind, cls in BOARD_CLASS.items()}
ORG_KIND = {cls: kind.value for kind, cls in ORG_CLASS.items()}
ROLE = {concept: role.value for role, concept in ROLE_CONCEPT.items()}
if TYPE_CHECKING:
    import networkx as nx

# The terms every node reads, made once (an rdflib namespace makes a new URIRef on each attribute access:
# ~170,000 accesses at 1M triples, issue 16).
_LOCAL_ID, _LABEL, _SOURCE_LINE, _TYPE = SCP.localId, RDFS.label, SCP.sourceLine, RDF.type

EDGE_TYPES = ("reports_to", "chaired_by", "member_of", "links_to", "leads_priority", "delivered_by",
              "holds", "delegates_to", "post_in", "partner_of", "executive_of")


class _Builder:
    def __init__(self, rdf: Graph, year: URIRef) -> None:
        self.rdf, self.year = rdf, year
        self.nodes: dict[str, dict] = {}
        self.edges: set[tuple[str, str, str, tuple]] = set()
        self._kinds: dict[tuple, str | None] = {}  # (node, table) → typed(); the RDF graph does not change
        self._keys: dict = {}  # node → key(): most nodes are reached several times (issue 16)

    def key(self, node) -> str:
        key = self._keys.get(node)
        if key is None:
            local = self.rdf.value(node, _LOCAL_ID)
            key = self._keys[node] = str(local) if local is not None else str(node)
        return key

    def node(self, node, kind: str, **attrs) -> str:
        key = self.key(node)
        entry = self.nodes.get(key)
        if entry is None:  # the first time: a node seen again keeps its first label and line
            label = self.rdf.value(node, _LABEL)
            line = self.rdf.value(node, _SOURCE_LINE)
            entry = self.nodes[key] = {"kind": kind, "label": str(label) if label is not None else key,
                                       "iri": str(node), "line": int(line) if line is not None else None}
        entry.update({k: v for k, v in attrs.items() if v is not None})
        return key

    def edge(self, u: str, v: str, kind: str, **attrs) -> None:
        self.edges.add((u, v, kind, tuple(sorted(attrs.items()))))

    def typed(self, node, table: dict) -> str | None:
        memo = (node, id(table))
        if memo not in self._kinds:
            kinds = sorted(table[c] for c in self.rdf.objects(node, _TYPE) if c in table)
            self._kinds[memo] = kinds[0] if kinds else None
        return self._kinds[memo]

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


class _Nodes:
    """``g.nodes``: ``g.nodes[n]`` (the attribute dict), ``g.nodes(data=True)``, iteration, ``in``, ``len``."""

    __slots__ = ("_node",)

    def __init__(self, node: dict) -> None:
        self._node = node

    def __getitem__(self, n: str) -> dict:
        return self._node[n]

    def __iter__(self):
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n) -> bool:
        return n in self._node

    def __call__(self, data: bool = False):
        return list(self._node.items()) if data else list(self._node)


class GovernanceGraph:
    """The governance graph as networkx's ``MultiDiGraph`` would hold it, without importing networkx.

    Built by the same calls (``add_node``, ``add_edge`` with ``key``) with the same semantics: an edge
    to a node not yet added adds it with no attributes; a repeated (u, v, key) updates that edge's
    attributes. Iteration orders are networkx's: nodes in insertion order; ``edges`` by source in node
    order, then targets in the order of their first edge, then keys; ``in_edges`` by the order the
    sources' edges were added. ``to_networkx`` replays the calls into a real ``MultiDiGraph``.
    """

    def __init__(self, **graph_attrs) -> None:
        self.graph: dict = dict(graph_attrs)
        self._node: dict[str, dict] = {}
        self._succ: dict[str, dict[str, dict[str, dict]]] = {}
        self._pred: dict[str, dict[str, dict[str, dict]]] = {}
        self._calls: list[tuple] = []   # ("node", n, attrs) / ("edge", u, v, key, attrs), for to_networkx
        self.nodes = _Nodes(self._node)

    def _ensure(self, n: str) -> None:
        if n not in self._node:
            self._node[n] = {}
            self._succ[n] = {}
            self._pred[n] = {}

    def add_node(self, n: str, **attrs) -> None:
        self._calls.append(("node", n, dict(attrs)))
        self._ensure(n)
        self._node[n].update(attrs)

    def add_edge(self, u: str, v: str, key: str, **attrs) -> None:
        self._calls.append(("edge", u, v, key, dict(attrs)))
        self._ensure(u)
        self._ensure(v)
        keys = self._succ[u].get(v)
        if keys is None:
            keys = self._succ[u][v] = {}
            self._pred[v][u] = keys       # one dict per (u, v), shared, as in networkx
        data = keys.setdefault(key, {})
        data.update(attrs)

    @property
    def succ(self) -> dict[str, dict[str, dict[str, dict]]]:
        """networkx's ``G.succ``: ``succ[u][v]`` is the {key: attributes} of the edges u → v (read only)."""
        return self._succ

    @property
    def pred(self) -> dict[str, dict[str, dict[str, dict]]]:
        """networkx's ``G.pred``: ``pred[v][u]``, the same dict as ``succ[u][v]``."""
        return self._pred

    def __contains__(self, n) -> bool:
        return n in self._node

    def __iter__(self):
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def number_of_nodes(self) -> int:
        return len(self._node)

    def number_of_edges(self) -> int:
        return sum(len(kd) for nbrs in self._succ.values() for kd in nbrs.values())

    def has_edge(self, u: str, v: str, key: str | None = None) -> bool:
        keys = self._succ.get(u, {}).get(v)
        return keys is not None and (key is None or key in keys)

    def edges(self, keys: bool = False, data: bool = False) -> list[tuple]:
        out = []
        for u, nbrs in self._succ.items():
            for v, kd in nbrs.items():
                for k, d in kd.items():
                    out.append((u, v, k, d) if keys and data else (u, v, k) if keys else (u, v, d) if data else (u, v))
        return out

    def out_edges(self, node: str, keys: bool = False) -> list[tuple]:
        return [(node, v, k) if keys else (node, v) for v, kd in self._succ[node].items() for k in kd]

    def in_edges(self, node: str, keys: bool = False) -> list[tuple]:
        return [(u, node, k) if keys else (u, node) for u, kd in self._pred[node].items() for k in kd]

    def to_networkx(self) -> "nx.MultiDiGraph":
        """The same graph as a networkx ``MultiDiGraph`` (the same calls, so the same order)."""
        import networkx as nx

        g = nx.MultiDiGraph(**self.graph)
        for call in self._calls:
            if call[0] == "node":
                g.add_node(call[1], **call[2])
            else:
                g.add_edge(call[1], call[2], key=call[3], **call[4])
        return g


def as_networkx(g) -> "nx.MultiDiGraph":
    """``g`` as a networkx graph (a ``GovernanceGraph`` is converted; a networkx graph is returned as is)."""
    return g.to_networkx() if isinstance(g, GovernanceGraph) else g


def governance_graph(rdf: Graph, year: URIRef | None = None) -> "nx.MultiDiGraph":
    """Build the governance graph of one partnership-year from its materialised RDF graph (networkx)."""
    return governance_view(rdf, year).to_networkx()


def governance_view(rdf: Graph, year: URIRef | None = None) -> GovernanceGraph:
    """The governance graph of one partnership-year, without networkx (what the graph checks read)."""
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


def _assemble(b: _Builder, rdf: Graph, year: URIRef) -> GovernanceGraph:
    as_of = rdf.value(year, SCP.asOf)
    edition = rdf.value(year, SCP.governedBy)
    g = GovernanceGraph(
        year=b.key(year), year_iri=str(year), year_label=_text(rdf.value(year, _LABEL)) or b.key(year),
        year_line=_int(rdf.value(year, _SOURCE_LINE)),
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
def nodes_of(g: "nx.MultiDiGraph | GovernanceGraph", kind: str) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["kind"] == kind]


def out_of(g: "nx.MultiDiGraph | GovernanceGraph", node: str, kind: str) -> list[str]:
    """Targets of ``node``'s outgoing edges of one type, sorted (edges are keyed by their type, so each
    (target, type) is one edge; ``succ`` is networkx's adjacency and the GovernanceGraph's alike)."""
    return sorted(v for v, keys in g.succ[node].items() if kind in keys)


def into(g: "nx.MultiDiGraph | GovernanceGraph", node: str, kind: str) -> list[str]:
    """Sources of ``node``'s incoming edges of one type, sorted."""
    return sorted(u for u, keys in g.pred[node].items() if kind in keys)


def edges_of(g: "nx.MultiDiGraph | GovernanceGraph", kind: str) -> Iterator[tuple[str, str, dict]]:
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == kind:
            yield u, v, d


def label(g: "nx.MultiDiGraph | GovernanceGraph", node: str) -> str:
    return g.nodes[node]["label"] if node in g else node


def labels(g: "nx.MultiDiGraph | GovernanceGraph", nodes: Iterable[str]) -> list[str]:
    return [label(g, n) for n in nodes]


def posts_held(g: "nx.MultiDiGraph | GovernanceGraph", person: str) -> list[str]:
    return out_of(g, person, "holds")


def executives(g: "nx.MultiDiGraph | GovernanceGraph") -> list[str]:
    return [n for n in nodes_of(g, "group") if g.nodes[n].get("group_kind") == "executive"]
