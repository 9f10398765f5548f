"""Measures a scrutineer can put in a table: membership overlap, centrality, agencies per group.

How computed, all from the governance graph and all deterministic (sorted; floats rounded to 4 dp):

- *Agencies represented* on a group: its member organisations, the organisations of its member
  posts and chair post (``post_in``), and the organisations sharing a rotating chair.
- *Overlap* between two groups (or boards, when members are recorded for them): the Jaccard
  index |A ∩ B| / |A ∪ B| of their agencies, and of their posts (member posts plus chair post).
  Only pairs sharing at least one agency or post are listed.
- *Centrality* of posts and people: degree (governance edges touching the node) and betweenness
  (exact, normalised, on the undirected simple graph of all governance edges).

Bounded so a small hostile file cannot cost unbounded time or output (issue 14): pairs are found
through an index of who sits where (only pairs that share someone are ever looked at); when
more than MAX_OVERLAP_PAIRS comparisons would be needed the overlap table is not computed,
and at most MAX_OVERLAPS_LISTED pairs are listed; betweenness is not computed above
MAX_BETWEENNESS_NODES nodes (exact betweenness costs nodes × edges). Each limit reached is said
in ``limits``, which is empty (and absent from the JSON) for every ordinary partnership.
"""
from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from .graph import into, label, nodes_of, out_of

if TYPE_CHECKING:
    import networkx as nx

    from .graph import GovernanceGraph

MAX_OVERLAP_PAIRS = 100_000  # comparisons: (units sharing a member, 2) summed over members
MAX_OVERLAPS_LISTED = 500
MAX_BETWEENNESS_NODES = 500


@dataclass(frozen=True)
class Representation:
    unit: str                       # "group/id" or "board/id"
    label: str
    unit_kind: str                  # executive, sub-group, ..., or the board kind
    agencies: tuple[str, ...]       # organisation labels, sorted
    posts: tuple[str, ...]          # post labels (members and chair), sorted

    @property
    def agency_count(self) -> int:
        return len(self.agencies)


@dataclass(frozen=True)
class Overlap:
    unit_a: str
    label_a: str
    unit_b: str
    label_b: str
    shared_agencies: tuple[str, ...]
    agencies_jaccard: float
    shared_posts: tuple[str, ...]
    posts_jaccard: float


@dataclass(frozen=True)
class Centrality:
    node: str                       # "post/id" or "person/id"
    label: str
    kind: str                       # post or person
    degree: int
    betweenness: float | None       # None: not computed (graph above MAX_BETWEENNESS_NODES)


@dataclass
class GovernanceMeasures:
    partnership: str
    period: str
    as_of: str | None
    representation: list[Representation] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    centrality: list[Centrality] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # what was not computed or not listed, and why

    def to_dict(self) -> dict:
        out = {
            "partnership": self.partnership, "period": self.period, "as_of": self.as_of,
            "representation": [dict(asdict(r), agency_count=r.agency_count) for r in self.representation],
            "overlaps": [asdict(o) for o in self.overlaps],
            "centrality": [asdict(c) for c in self.centrality],
        }
        if self.limits:
            out["limits"] = list(self.limits)
        return out


def _units(g: nx.MultiDiGraph) -> list[str]:
    groups = nodes_of(g, "group")
    boards = [b for b in nodes_of(g, "board") if into(g, b, "member_of")]
    return groups + boards


def _agencies(g: nx.MultiDiGraph, unit: str, post_in: dict[str, list[str]] | None = None) -> set[str]:
    """``post_in``: each post's organisations, worked out once (a post on every group is read once, not per group)."""
    post_in = {} if post_in is None else post_in
    found = set()
    for member in into(g, unit, "member_of") + out_of(g, unit, "chaired_by"):
        if g.nodes[member]["kind"] == "organisation":
            found.add(member)
        else:
            if member not in post_in:
                post_in[member] = out_of(g, member, "post_in")
            found.update(post_in[member])
    return found


def _posts(g: nx.MultiDiGraph, unit: str) -> set[str]:
    return {n for n in into(g, unit, "member_of") + out_of(g, unit, "chaired_by") if g.nodes[n]["kind"] == "post"}


def _jaccard(a: set, b: set) -> float:
    return round(len(a & b) / len(a | b), 4) if a | b else 0.0


def _labels(g: nx.MultiDiGraph, nodes) -> tuple[str, ...]:
    return tuple(sorted(label(g, n) for n in nodes))


def compute_measures(g: "nx.MultiDiGraph | GovernanceGraph") -> GovernanceMeasures:
    """The measures of a governance graph: a ``GovernanceGraph`` (no networkx import) or networkx's."""
    units = _units(g)
    post_in: dict[str, list[str]] = {}
    agencies = {u: _agencies(g, u, post_in) for u in units}
    posts = {u: _posts(g, u) for u in units}
    year = g.graph["year"].split("/", 1)[-1]
    out = GovernanceMeasures(partnership=g.graph["partnership"].split("/", 1)[-1], period=year,
                             as_of=g.graph.get("as_of"))
    for u in units:
        attrs = g.nodes[u]
        kind = attrs.get("group_kind") or attrs.get("board_kind", "")
        out.representation.append(Representation(u, label(g, u), kind, _labels(g, agencies[u]), _labels(g, posts[u])))
    out.overlaps, limit = overlaps(g, units, agencies, posts)
    out.limits += limit
    out.centrality = centrality(g)
    if out.centrality and out.centrality[0].betweenness is None:
        out.limits.append(f"Betweenness is not computed: the governance graph has {g.number_of_nodes():,} "
                          f"nodes, more than {MAX_BETWEENNESS_NODES:,}.")
    return out


def overlaps(g: nx.MultiDiGraph, units: list[str], agencies: dict, posts: dict) -> tuple[list[Overlap], list[str]]:
    """Pairs of units sharing an agency or a post, most alike first; and the limits reached."""
    sitting: dict[str, list[int]] = {}  # agency or post → the units it sits on (by position)
    for i, u in enumerate(units):
        for member in agencies[u] | posts[u]:
            sitting.setdefault(member, []).append(i)
    if sum(len(s) * (len(s) - 1) // 2 for s in sitting.values()) > MAX_OVERLAP_PAIRS:
        return [], [f"Membership overlap is not computed: the {len(units):,} groups and boards share members "
                    f"so widely that comparing them would take more than {MAX_OVERLAP_PAIRS:,} comparisons."]
    pairs = sorted({(a, b) for s in sitting.values() for a, b in combinations(s, 2)})
    found = []
    for i, j in pairs:
        a, b = units[i], units[j]
        shared_a, shared_p = agencies[a] & agencies[b], posts[a] & posts[b]
        found.append(Overlap(a, label(g, a), b, label(g, b), _labels(g, shared_a), _jaccard(agencies[a], agencies[b]),
                             _labels(g, shared_p), _jaccard(posts[a], posts[b])))
    found.sort(key=lambda o: (-o.agencies_jaccard, -o.posts_jaccard, o.unit_a, o.unit_b))
    if len(found) > MAX_OVERLAPS_LISTED:
        return found[:MAX_OVERLAPS_LISTED], [f"Membership overlap: the {MAX_OVERLAPS_LISTED:,} most alike of "
                                             f"{len(found):,} overlapping pairs are listed."]
    return found, []


def centrality(g: "nx.MultiDiGraph | GovernanceGraph") -> list[Centrality]:
    # The undirected simple graph networkx's Graph() would hold (add_nodes_from(g.nodes), then
    # add_edges_from of every non-loop edge): neighbours in the order their first edge came.
    simple: dict[str, dict[str, None]] = {n: {} for n in g.nodes}
    for u, v in g.edges():
        if u != v:
            simple[u].setdefault(v, None)
            simple[v].setdefault(u, None)
    exact = len(simple) <= MAX_BETWEENNESS_NODES
    between = betweenness(simple) if exact else {}
    rows = [Centrality(n, label(g, n), g.nodes[n]["kind"], g.degree(n), round(between[n], 4) if exact else None)
            for n in g.nodes if g.nodes[n]["kind"] in ("post", "person")]
    return sorted(rows, key=lambda c: (-(c.betweenness or 0.0), -c.degree, c.node))


def betweenness(adj: dict[str, dict]) -> dict[str, float]:
    """``networkx.betweenness_centrality(G, normalized=True)`` (networkx 3.6) for an unweighted,
    undirected graph given as its adjacency (node -> neighbours, in G's orders): Brandes' algorithm
    with networkx's operations in networkx's order, so the same floats; written out so that the
    measures need no networkx import (0.15-0.2 s of a cold ``check``; issue 16, decision 0025).
    tests/test_cold_check.py compares it with networkx on random graphs."""
    result = dict.fromkeys(adj, 0.0)
    for s in adj:
        # single-source shortest paths (BFS): the order S, the predecessors P and path counts sigma
        order: list = []
        preds: dict = {v: [] for v in adj}
        sigma = dict.fromkeys(adj, 0.0)
        dist = {s: 0}
        sigma[s] = 1.0
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            dv, sv = dist[v], sigma[v]
            for w in adj[v]:
                if w not in dist:
                    queue.append(w)
                    dist[w] = dv + 1
                if dist[w] == dv + 1:
                    sigma[w] += sv
                    preds[w].append(v)
        # accumulation, farthest first
        delta = dict.fromkeys(order, 0)
        while order:
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                result[w] += delta[w]
    # networkx's _rescale, normalised, endpoints excluded, no sampling
    pairs = len(adj) - 1
    if pairs < 2:
        return result
    scale = 1 / (pairs * (pairs - 1))
    if scale != 1:
        for v in result:
            result[v] *= scale
    return result
