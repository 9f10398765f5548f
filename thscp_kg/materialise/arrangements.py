"""Materialise step for the arrangements' own obligations: independent scrutiny in force (CA04
s16G), included agencies against the Schedule in force (s16E(3)), and provisions commenced by
regulations (Children's Wellbeing and Schools Act 2026 ss2-3).

Everything date-dependent is decided here, in Python (docs/decisions/0005): which scrutiny
arrangement is in force on the as-of date, which version of the Schedule to SI 2018/789 applies,
and whether a provision is in force. A provision applies to a year when it is in force on or
before the last day judged (the period end, or the as-of date if earlier); only then are the
classes its shapes target materialised, so before commencement they check nothing, in a file
check and in the store alike.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, TIME

from ..namespaces import ORG, SCP

if TYPE_CHECKING:   # types only: their modules import pydantic, a run reads plain copies
    from ..rules.profile import Profile

# The core members of a multi-agency child protection team (CWSA 2026 s3, inserted subsection (4)):
# role -> (core concept, the kind of organisation that must nominate, or None if any).
CORE_ROLES = {
    "education": (SCP.CoreEducationMember, SCP.LocalAuthority),
    "social-worker": (SCP.CoreSocialWorker, SCP.LocalAuthority),
    "health-professional": (SCP.CoreHealthProfessional, SCP.IntegratedCareBoard),
    "police-officer": (SCP.CorePoliceOfficer, None),   # (4)(d): nominator not read (S)
}


def materialise_arrangements(graph: Graph, year, profile: Profile, as_of: dt.date) -> None:
    judged = judged_day(graph, year, as_of)
    _scrutiny(graph, year, as_of)
    _schedule(graph, year, profile, judged)
    _commencement(graph, year, profile, judged)


def judged_day(graph: Graph, year, as_of: dt.date) -> dt.date:
    """The last day a year is judged on: the period end, or the as-of date if earlier."""
    period = graph.value(year, SCP.period)
    end = graph.value(graph.value(period, TIME.hasEnd), TIME.inXSDDate) if period is not None else None
    end_day = end.toPython() if isinstance(end, Literal) else None
    return min(end_day, as_of) if isinstance(end_day, dt.date) else as_of


def _date(graph: Graph, node, prop) -> dt.date | None:
    value = graph.value(node, prop)
    return value.toPython() if isinstance(value, Literal) and isinstance(value.toPython(), dt.date) else None


def _in_force(graph: Graph, node, day: dt.date) -> bool:
    start, end = _date(graph, node, SCP.validFrom), _date(graph, node, SCP.validUntil)
    return (start is None or start <= day) and (end is None or day <= end)


def _scrutiny(graph: Graph, year, as_of: dt.date) -> None:
    """Any recorded independent-scrutiny arrangement: a scrutineer post (held or not: a vacancy is
    the interpretation CA04-16G-06's concern) or a scrutiny arrangement in force on the as-of date."""
    for post in graph.objects(year, SCP.hasPost):
        if (post, ORG.role, SCP.IndependentScrutineer) in graph:
            graph.add((year, SCP.hasIndependentScrutiny, post))
            graph.add((post, RDF.type, SCP.IndependentScrutinyArrangement))
    for arrangement in graph.objects(year, SCP.hasScrutinyArrangement):
        if _in_force(graph, arrangement, as_of):
            graph.add((year, SCP.hasIndependentScrutiny, arrangement))


def _schedule(graph: Graph, year, profile: Profile, judged: dt.date) -> None:
    """Each included organisation's Schedule heading against the Schedule version in force."""
    schedule = profile.relevant_agency_schedule
    version = schedule.on(judged) if schedule is not None else None
    for org in graph.objects(year, SCP.hasOrganisation):
        if (org, SCP.includedInArrangements, Literal(True)) not in graph:
            continue
        category = graph.value(org, SCP.scheduleCategory)
        if category is None:
            continue
        heading = str(category).rsplit("#schedule-", 1)[-1]
        if version is None:
            graph.set((org, SCP.inScheduleInForce, Literal(False)))
            graph.set((org, SCP.scheduleBasis, Literal(f"no version of the Schedule to SI 2018/789 is in force on "
                                                        f"{judged.isoformat()} (profile relevant_agency_schedule)")))
            continue
        graph.set((org, SCP.inScheduleInForce, Literal(heading in {c.value for c in version.categories})))
        graph.set((org, SCP.scheduleBasis, Literal(
            f"the Schedule to SI 2018/789 as in force on {judged.isoformat()} (the version from "
            f"{version.from_.isoformat()}, {version.verification})")))


def _commencement(graph: Graph, year, profile: Profile, judged: dt.date) -> None:
    for key in sorted(profile.commencement):
        if not profile.commenced(key, judged):
            continue
        provision = SCP[key]
        graph.add((year, SCP.provisionInForce, provision))
        graph.add((year, RDF.type, SCP[f"PartnershipYearUnder{key.replace('-', '')}"]))
        if key == "CWSA2026-s2":
            for org in graph.objects(year, SCP.hasOrganisation):
                if (org, SCP.designatedChildcareOrEducation, Literal(True)) in graph:
                    graph.add((org, RDF.type, SCP.DesignatedChildcareOrEducationAgency))
        if key == "CWSA2026-s3":
            for team in graph.objects(year, SCP.hasChildProtectionTeam):
                graph.add((team, RDF.type, SCP.ChildProtectionTeamUnderCWSA2026s3))
                _core_members(graph, year, team)


def _core_members(graph: Graph, year, team: URIRef) -> None:
    for member in graph.objects(team, SCP.hasTeamMember):
        role = str(graph.value(member, SCP.teamRole) or "")
        if role not in CORE_ROLES:
            continue
        concept, nominator_class = CORE_ROLES[role]
        nominator = graph.value(member, SCP.nominatedBy)
        if nominator_class is not None:
            if nominator is None or (nominator, RDF.type, nominator_class) not in graph:
                continue
            if nominator_class == SCP.LocalAuthority and (year, SCP.hasSafeguardingPartner, nominator) not in graph:
                continue  # "the local authority": the area's own, a safeguarding partner
        graph.add((team, SCP.hasCoreMember, concept))
