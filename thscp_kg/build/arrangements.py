"""Build step for how the arrangements are carried out: scrutiny arrangements (CA04 s16G) and
multi-agency child protection teams (Children's Wellbeing and Schools Act 2026 s3). See graph.py.

Whether a provision commenced by regulations applies, and which scrutiny arrangements are in force,
is decided later, by materialise/arrangements.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from ..namespaces import SCP

if TYPE_CHECKING:
    from .graph import GraphBuilder


def add_arrangements(b: "GraphBuilder") -> None:
    from .iris import iri

    y = b.year
    for arrangement in y.scrutiny_arrangements:
        node = b.entity(iri(b.pid, "scrutiny-arrangement", arrangement.id), SCP.ScrutinyArrangement,
                        "scrutiny-arrangement", arrangement.id,
                        arrangement.description or f"scrutiny arrangement {arrangement.id}", arrangement.evidence)
        b.add(b.year_iri, SCP.hasScrutinyArrangement, node)
        b.add(node, SCP.scrutinyKind, Literal(arrangement.kind.value))
        b.text(node, DCTERMS.description, arrangement.description)
        if arrangement.provider:
            b.add(node, SCP.scrutinyProvider, b.org(arrangement.provider))
        for post in arrangement.posts:
            b.add(node, SCP.scrutinyPost, iri(b.pid, "post", post))
        b.date(node, SCP.validFrom, arrangement.from_)
        b.date(node, SCP.validUntil, arrangement.until)

    for team in y.multi_agency_teams:
        node = b.entity(iri(b.pid, "macpt", team.id), SCP.ChildProtectionTeam,
                        "macpt", team.id, team.name, team.evidence)
        b.add(b.year_iri, SCP.hasChildProtectionTeam, node)
        for area in team.areas:
            b.add(node, SCP.teamArea, iri(b.pid, "area", area))
        b.date(node, SCP.validFrom, team.from_)
        b.date(node, SCP.validUntil, team.until)
        for i, member in enumerate(team.members, start=1):
            m = URIRef(f"{node}/member/{i}")
            b.add(m, RDF.type, SCP.TeamMember)
            b.add(node, SCP.hasTeamMember, m)
            b.add(m, SCP.teamRole, Literal(member.role.value))
            if member.nominated_by:
                b.add(m, SCP.nominatedBy, b.org(member.nominated_by))
            if member.post:
                b.add(m, SCP.teamMemberPost, iri(b.pid, "post", member.post))
            b.evidence(m, member.evidence)
