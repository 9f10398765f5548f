"""Measures a scrutineer can put in a table: membership overlap, centrality, agencies per group.

How computed, all from the governance graph and all deterministic (sorted; floats rounded to 4 dp):

- *Agencies represented* on a group: its member organisations, the organisations of its member
  posts and chair post (``post_in``), and the organisations sharing a rotating chair.
- *Overlap* between two groups (or boards, when members are recorded for them): the Jaccard
  index |A ∩ B| / |A ∪ B| of their agencies, and of their posts (member posts plus chair post).
  Only pairs sharing at least one agency or post are listed.
- *Centrality* of posts and people: degree (governance edges touching the node) and betweenness
  (exact, normalised, on the undirected simple graph of all governance edges).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import combinations

import networkx as nx

from .graph import into, label, nodes_of, out_of


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
    betweenness: float


@dataclass
class GovernanceMeasures:
    partnership: str
    period: str
    as_of: str | None
    representation: list[Representation] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    centrality: list[Centrality] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "partnership": self.partnership, "period": self.period, "as_of": self.as_of,
            "representation": [dict(asdict(r), agency_count=r.agency_count) for r in self.representation],
            "overlaps": [asdict(o) for o in self.overlaps],
            "centrality": [asdict(c) for c in self.centrality],
        }


def _units(g: nx.MultiDiGraph) -> list[str]:
    groups = nodes_of(g, "group")
    boards = [b for b in nodes_of(g, "board") if into(g, b, "member_of")]
    return groups + boards


def _agencies(g: nx.MultiDiGraph, unit: str) -> set[str]:
    found = set()
    for member in into(g, unit, "member_of") + out_of(g, unit, "chaired_by"):
        if g.nodes[member]["kind"] == "organisation":
            found.add(member)
        else:
            found.update(out_of(g, member, "post_in"))
    return found


def _posts(g: nx.MultiDiGraph, unit: str) -> set[str]:
    return {n for n in into(g, unit, "member_of") + out_of(g, unit, "chaired_by") if g.nodes[n]["kind"] == "post"}


def _jaccard(a: set, b: set) -> float:
    return round(len(a & b) / len(a | b), 4) if a | b else 0.0


def _labels(g: nx.MultiDiGraph, nodes) -> tuple[str, ...]:
    return tuple(sorted(label(g, n) for n in nodes))


def compute_measures(g: nx.MultiDiGraph) -> GovernanceMeasures:
    units = _units(g)
    agencies = {u: _agencies(g, u) for u in units}
    posts = {u: _posts(g, u) for u in units}
    year = g.graph["year"].split("/", 1)[-1]
    out = GovernanceMeasures(partnership=g.graph["partnership"].split("/", 1)[-1], period=year,
                             as_of=g.graph.get("as_of"))
    for u in units:
        attrs = g.nodes[u]
        kind = attrs.get("group_kind") or attrs.get("board_kind", "")
        out.representation.append(Representation(u, label(g, u), kind, _labels(g, agencies[u]), _labels(g, posts[u])))
    for a, b in combinations(units, 2):
        shared_a, shared_p = agencies[a] & agencies[b], posts[a] & posts[b]
        if shared_a or shared_p:
            out.overlaps.append(Overlap(a, label(g, a), b, label(g, b), _labels(g, shared_a),
                                        _jaccard(agencies[a], agencies[b]), _labels(g, shared_p),
                                        _jaccard(posts[a], posts[b])))
    out.overlaps.sort(key=lambda o: (-o.agencies_jaccard, -o.posts_jaccard, o.unit_a, o.unit_b))
    out.centrality = centrality(g)
    return out


def centrality(g: nx.MultiDiGraph) -> list[Centrality]:
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    between = nx.betweenness_centrality(simple, normalized=True)
    rows = [Centrality(n, label(g, n), g.nodes[n]["kind"], g.degree(n), round(between[n], 4))
            for n in g.nodes if g.nodes[n]["kind"] in ("post", "person")]
    return sorted(rows, key=lambda c: (-c.betweenness, -c.degree, c.node))
