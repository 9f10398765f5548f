"""Build step: a validated partnership-year becomes an RDF graph under the thscp-kg ontology.

One ``_add_<entity>`` function per entity kind; IRIs are minted in ``iri()`` only, from the
partnership id, the kind and the YAML id, so the same input always gives the same graph.
Derived facts (editions, deadlines, sign-off capacities) are added by ``materialise``.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, TIME, XSD

from ..model_values import ApproximateDateReads, BoardKind, DocumentKind, GroupKind, OrganisationKind, Role
from ..namespaces import ORG, SCP, bind_all
from ..rdfio import data_graph
from .dates import add_approximate, add_meetings, add_publishers, certain_day
from .iris import date_literal, day_iri, iri, national_iri, topic_iri

if TYPE_CHECKING:   # types only: the model imports pydantic, a run reads the year's plain copy
    from ..load.loader import LoadedYear
    from ..model import Evidence, PartnershipYear

ORG_CLASS = {
    OrganisationKind.local_authority: SCP.LocalAuthority,
    OrganisationKind.integrated_care_board: SCP.IntegratedCareBoard,
    OrganisationKind.clinical_commissioning_group: SCP.ClinicalCommissioningGroup,
    OrganisationKind.police: SCP.PoliceForce,
    OrganisationKind.relevant_agency: SCP.RelevantAgency,
    OrganisationKind.education: SCP.EducationSetting,
    OrganisationKind.voluntary_sector: SCP.VoluntarySectorOrganisation,
    OrganisationKind.national_body: SCP.NationalBody,
    OrganisationKind.other: SCP.OtherOrganisation,
}
GROUP_CLASS = {
    GroupKind.executive: SCP.ExecutiveGroup, GroupKind.sub_group: SCP.SubGroup,
    GroupKind.panel: SCP.ReviewPanel, GroupKind.forum: SCP.Forum,
    GroupKind.task_and_finish: SCP.TaskAndFinishGroup, GroupKind.wider_partnership: SCP.WiderPartnership,
}
BOARD_CLASS = {
    BoardKind.safeguarding_adults_board: SCP.SafeguardingAdultsBoard,
    BoardKind.health_and_wellbeing_board: SCP.HealthAndWellbeingBoard,
    BoardKind.community_safety_partnership: SCP.CommunitySafetyPartnership,
    BoardKind.children_and_families_partnership: SCP.ChildrenAndFamiliesPartnership,
    BoardKind.other: SCP.OtherStrategicBoard,
}
DOCUMENT_CLASS = {
    DocumentKind.yearly_report: SCP.YearlyReport, DocumentKind.arrangements: SCP.PublishedArrangements,
    DocumentKind.threshold_document: SCP.ThresholdDocument, DocumentKind.scrutiny_plan: SCP.ScrutinyPlan,
    DocumentKind.budget: SCP.Budget, DocumentKind.scrutiny_report: SCP.ScrutinyReport,
    DocumentKind.cover_report: SCP.CoverReport, DocumentKind.other: SCP.OtherDocument,
}
ROLE_CONCEPT = {
    Role.lead_safeguarding_partner: SCP.LeadSafeguardingPartner,
    Role.delegated_safeguarding_partner: SCP.DelegatedSafeguardingPartner,
    Role.partnership_chair: SCP.PartnershipChair,
    Role.independent_scrutineer: SCP.IndependentScrutineer,
    Role.young_scrutineer: SCP.YoungScrutineer,
    Role.business_unit: SCP.BusinessUnit,
    Role.other: SCP.OtherRole,
}


class GraphBuilder:
    """Adds one partnership-year to a graph."""

    def __init__(self, loaded: LoadedYear, graph: Graph | None = None) -> None:
        self.loaded = loaded
        self.year: PartnershipYear = loaded.year
        self.pid = self.year.partnership.id
        self.graph = bind_all(graph if graph is not None else data_graph())
        self.year_iri = iri(self.pid, "year", self.year.period.id)
        self._org_ids = {o.id for o in self.year.organisations}

    # -- helpers -------------------------------------------------------------------------
    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def org(self, local: str) -> URIRef:
        return iri(self.pid, "organisation", local) if local in self._org_ids else national_iri(local)

    def text(self, s, p, value: str | None) -> None:
        if value:
            self.add(s, p, Literal(value, lang="en"))

    def date(self, s, p, value) -> None:
        """An exact day as ``xsd:date``; an approximate one as an ``scp:ApproximateDate`` node (build.dates)."""
        if isinstance(value, ApproximateDateReads):
            add_approximate(self, s, p, value)
        elif value is not None:
            self.add(s, p, date_literal(value))

    def interval(self, node: URIRef, start, end, cls: URIRef = TIME.ProperInterval) -> URIRef:
        self.add(node, RDF.type, cls)
        for prop, day in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
            if isinstance(day, ApproximateDateReads):  # the days it certainly covers, the approximation beside
                add_approximate(self, node, prop, day)
                day = certain_day(day, prop)
            if day is not None:
                self.add(node, prop, self.day(day))
        return node

    def day(self, day: dt.date) -> URIRef:
        node = day_iri(day)
        self.add(node, RDF.type, SCP.Day)
        self.add(node, TIME.inXSDDate, date_literal(day))
        return node

    def entity(self, node: URIRef, cls: URIRef, kind: str, local: str, label: str | None,
               evidence: Iterable[Evidence]) -> URIRef:
        self.add(node, RDF.type, cls)
        self.add(node, SCP.localId, Literal(f"{kind}/{local}"))
        if label:
            self.add(node, RDFS.label, Literal(label, lang="en"))
        loc = self.loaded.location(kind, local)
        if loc and loc.line:
            self.add(node, SCP.sourceLine, Literal(loc.line))
        self.evidence(node, evidence)
        return node

    def evidence(self, node: URIRef, evidence: Iterable[Evidence]) -> None:
        for i, ev in enumerate(evidence, start=1):
            cite = URIRef(f"{node}/evidence/{i}")
            source = iri(self.pid, "source", ev.source)
            self.add(cite, RDF.type, SCP.EvidenceCitation)
            self.add(cite, PROV.entity, source)
            self.add(cite, SCP.section, Literal(ev.section))
            if ev.quote:
                self.add(cite, SCP.quote, Literal(ev.quote))
            self.add(node, PROV.qualifiedDerivation, cite)
            self.add(node, PROV.wasDerivedFrom, source)

    # -- entities ------------------------------------------------------------------------
    def build(self) -> Graph:
        y = self.year
        p = iri(self.pid, "partnership")
        self.entity(p, SCP.Partnership, "partnership", self.pid, y.partnership.name, y.partnership.evidence)
        if y.partnership.short_name:
            self.add(p, SCP.shortName, Literal(y.partnership.short_name))
        self.entity(self.year_iri, SCP.PartnershipYear, "year", y.period.id,
                    f"{y.partnership.short_name or y.partnership.name} {y.period.id}", [])
        self.add(self.year_iri, SCP.partnership, p)
        period = self.interval(iri(self.pid, "period", y.period.id), y.period.start, y.period.end,
                               SCP.ReportingPeriod)
        self.add(self.year_iri, SCP.period, period)
        for area in y.partnership.areas:
            node = self.entity(iri(self.pid, "area", area.id), SCP.Area, "area", area.id, area.name, area.evidence)
            self.add(p, SCP.forArea, node)
        for source in y.sources:
            node = self.entity(iri(self.pid, "source", source.id), SCP.SourceDocument, "source", source.id,
                               source.title, [])
            if source.file:
                self.add(node, SCP.fileName, Literal(source.file))
            if source.url:
                self.add(node, SCP.url, Literal(source.url, datatype=XSD.anyURI))
            self.date(node, DCTERMS.date, source.date)
        self._national_bodies()
        for org in y.organisations:
            node = self.entity(self.org(org.id), ORG_CLASS[org.kind], "organisation", org.id, org.name, org.evidence)
            self.add(self.year_iri, SCP.hasOrganisation, node)
            for area in org.areas:
                self.add(node, SCP.operatesInArea, iri(self.pid, "area", area))
            if org.schedule_category:
                self.add(node, SCP.scheduleCategory, SCP[f"schedule-{org.schedule_category.value}"])
            self.date(node, SCP.validFrom, org.from_)
            self.date(node, SCP.validUntil, org.until)
            if org.included_in_arrangements:
                self.add(node, SCP.includedInArrangements, Literal(True))
            self.date(node, SCP.inclusionNotified, org.inclusion_notified)
            if org.designated_childcare_or_education:
                self.add(node, SCP.designatedChildcareOrEducation, Literal(True))
        for i, sp in enumerate(y.safeguarding_partners, start=1):
            self.add(self.year_iri, SCP.hasSafeguardingPartner, self.org(sp.organisation))
            tenure = URIRef(f"{self.year_iri}/partner/{i}")
            self.add(tenure, RDF.type, SCP.PartnerTenure)
            self.add(self.year_iri, SCP.partnerTenure, tenure)
            self.add(tenure, SCP.partnerOrganisation, self.org(sp.organisation))
            self.date(tenure, SCP.validFrom, sp.from_)
            self.date(tenure, SCP.validUntil, sp.until)
            self.evidence(tenure, sp.evidence)
        for person in y.people:
            self.entity(iri(self.pid, "person", person.id), SCP.Person, "person", person.id, person.name,
                        person.evidence)
        self._posts()
        self._groups()
        for board in y.linked_boards:
            node = self.entity(iri(self.pid, "board", board.id), BOARD_CLASS[board.kind], "board", board.id,
                               board.name, board.evidence)
            link = URIRef(f"{self.year_iri}/board-link/{board.id}")
            self.add(link, RDF.type, SCP.BoardLink)
            self.add(link, SCP.board, node)
            self.text(link, SCP.linkDescription, board.link)
            if board.statutory is not None:
                self.add(node, SCP.statutory, Literal(board.statutory))
            self.add(self.year_iri, SCP.hasBoardLink, link)
        for prio in y.priorities:
            node = self.entity(iri(self.pid, "priority", prio.id), SCP.Priority, "priority", prio.id, prio.name,
                               prio.evidence)
            self.add(self.year_iri, SCP.hasPriority, node)
            if prio.lead_organisation:
                self.add(node, SCP.leadOrganisation, self.org(prio.lead_organisation))
            if prio.lead_post:
                self.add(node, SCP.leadPost, iri(self.pid, "post", prio.lead_post))
            if prio.delivered_by:
                self.add(node, SCP.deliveredBy, iri(self.pid, "group", prio.delivered_by))
            self.date(node, SCP.validFrom, prio.from_)
            self.date(node, SCP.validUntil, prio.until)
        self._documents()
        self._funding()
        from .arrangements import add_arrangements
        from .documents import add_document_statements
        from .challenges import add_area_agreement, add_challenges
        from .evidence import add_quote_checks
        from .reviews import add_reviews
        add_arrangements(self)
        add_area_agreement(self)
        add_challenges(self)
        add_quote_checks(self)
        add_reviews(self)
        add_document_statements(self)
        add_meetings(self)
        add_publishers(self)
        for i, count in enumerate(y.activity_counts, start=1):
            node = URIRef(f"{self.year_iri}/count/{i}")
            self.add(node, RDF.type, SCP.ActivityCount)
            self.add(self.year_iri, SCP.hasActivityCount, node)
            self.add(node, SCP.measure, Literal(count.measure.value))
            self.add(node, SCP.value, Literal(count.value, datatype=XSD.decimal))
            self.text(node, RDFS.label, count.label)
            if count.stated_period:
                self.add(node, SCP.statedPeriod, Literal(count.stated_period))
            self.evidence(node, count.evidence)
        for i, departure in enumerate(y.departures, start=1):
            node = URIRef(f"{self.year_iri}/departure/{i}")
            self.add(node, RDF.type, SCP.Departure)
            self.add(self.year_iri, SCP.hasDeparture, node)
            self.add(node, SCP.departsFrom, Literal(departure.requirement))
            self.text(node, SCP.reason, departure.reason)
            self.evidence(node, departure.evidence)
        for request in y.information_requests:
            node = self.entity(iri(self.pid, "information-request", request.id), SCP.InformationRequest,
                               "information-request", request.id, f"Information request {request.id}",
                               request.evidence)
            self.add(self.year_iri, SCP.hasInformationRequest, node)
            self.add(node, SCP.requester, self.org(request.requester))
            self.add(node, SCP.requestRecipient, self.org(request.recipient))
            self.date(node, DCTERMS.date, request.date)
            self.text(node, SCP.purpose, request.purpose)
            if request.complied is not None:
                self.add(node, SCP.complied, Literal(request.complied))
        for ds in y.data_sets:
            node = self.entity(iri(self.pid, "dataset", ds.id), SCP.DataSet, "dataset", ds.id, ds.name, ds.evidence)
            self.add(self.year_iri, SCP.hasDataSet, node)
            if ds.owner_group:
                self.add(node, SCP.ownerGroup, iri(self.pid, "group", ds.owner_group))
            for value in ds.disaggregated_by:
                self.text(node, SCP.disaggregatedBy, value)
        return self.graph

    def _national_bodies(self) -> None:
        # imported here: the class tables above are read by the graph checks, which need no loader
        from ..load.loader import national_bodies

        for body in national_bodies():
            node = national_iri(body["id"])
            self.add(node, RDF.type, SCP.NationalBody)
            self.add(node, SCP.localId, Literal(f"organisation/{body['id']}"))
            self.add(node, RDFS.label, Literal(body["name"], lang="en"))
            for key, prop in (("from", SCP.validFrom), ("until", SCP.validUntil)):
                if body.get(key):
                    self.date(node, prop, body[key])

    def _posts(self) -> None:
        for post in self.year.posts:
            node = self.entity(iri(self.pid, "post", post.id), ORG.Post, "post", post.id, post.title, post.evidence)
            self.add(self.year_iri, SCP.hasPost, node)
            self.add(node, ORG.role, ROLE_CONCEPT[post.role])
            for extra in post.also_roles:  # one post, several roles: never split into two posts
                self.add(node, ORG.role, ROLE_CONCEPT[extra])
            if post.also_roles:
                self.add(node, SCP.primaryRole, ROLE_CONCEPT[post.role])
            if post.organisation:
                self.add(node, ORG.postIn, self.org(post.organisation))
            if post.for_partner:
                self.add(node, SCP.forPartner, self.org(post.for_partner))
            for i, tenure in enumerate(post.holders, start=1):
                t = URIRef(f"{node}/tenure/{i}")
                self.add(t, RDF.type, SCP.Tenure)
                self.add(node, SCP.tenure, t)
                self.add(t, SCP.holder, iri(self.pid, "person", tenure.person))
                self.add(t, SCP.interim, Literal(tenure.interim))
                self.add(t, SCP.during, self.interval(URIRef(f"{t}/interval"), tenure.from_, tenure.until))
                self.evidence(t, tenure.evidence)

    def _groups(self) -> None:
        for group in self.year.groups:
            node = self.entity(iri(self.pid, "group", group.id), GROUP_CLASS[group.kind], "group", group.id,
                               group.name, group.evidence)
            self.add(self.year_iri, SCP.hasGroup, node)
            self.text(node, SCP.purpose, group.purpose)
            if group.reports_to:
                self.add(node, SCP.reportsTo, iri(self.pid, "group", group.reports_to))
            if group.chair:
                self.add(node, SCP.chairPost, iri(self.pid, "post", group.chair))
            for org in group.chair_rotates_between:
                self.add(node, SCP.chairRotatesBetween, self.org(org))
            for org in group.member_organisations:
                self.add(node, SCP.memberOrganisation, self.org(org))
            for post in group.member_posts:
                self.add(node, SCP.memberPost, iri(self.pid, "post", post))

    def _documents(self) -> None:
        for doc in self.year.documents:
            node = self.entity(iri(self.pid, "document", doc.id), DOCUMENT_CLASS[doc.kind], "document", doc.id,
                               doc.title, doc.evidence)
            self.add(self.year_iri, SCP.hasYearlyReport if doc.kind is DocumentKind.yearly_report
                     else SCP.hasDocument, node)
            self.add(node, DCTERMS.title, Literal(doc.title, lang="en"))
            self.date(node, DCTERMS.issued, doc.published)
            if doc.url:
                self.add(node, SCP.url, Literal(doc.url, datatype=XSD.anyURI))
            if doc.covers:
                self.add(node, SCP.covers, self.interval(URIRef(f"{node}/covers"), doc.covers.start,
                                                         doc.covers.end, SCP.ReportingPeriod))
            if doc.presents:
                self.add(node, SCP.presents, iri(self.pid, "document", doc.presents))
            self.text(node, SCP.presentedTo, doc.presented_to)
            self.date(node, SCP.presentedOn, doc.presented_on)
            for post in doc.contributors:
                self.add(node, SCP.contributor, iri(self.pid, "post", post))
            for post in doc.authors:
                self.add(node, SCP.writtenBy, iri(self.pid, "post", post))
            for i, section in enumerate(doc.sections, start=1):
                sec = URIRef(f"{node}/section/{i}")
                self.add(sec, RDF.type, SCP.Section)
                self.add(node, SCP.hasSection, sec)
                self.add(sec, SCP.topic, topic_iri(section.topic.value))
                self.text(sec, SCP.heading, section.heading)
                self.add(sec, SCP.hasContent, Literal(section.has_content))
                self.evidence(sec, section.evidence)
            self.date(node, SCP.firstPublished, doc.first_published)
            self.date(node, SCP.implementedOn, doc.implemented)
            self.date(node, SCP.lastReviewed, doc.last_reviewed)
            if doc.revised_for:
                self.add(node, SCP.revisedFor, SCP[doc.revised_for])
            for review in doc.reports_on:
                self.add(node, SCP.reportsOn, iri(self.pid, "review", review))
            if doc.accessible_version is not None:
                self.add(node, SCP.accessibleVersion, Literal(doc.accessible_version))
            for i, so in enumerate(doc.sign_offs, start=1):
                s = URIRef(f"{node}/sign-off/{i}")
                self.add(s, RDF.type, SCP.SignOff)
                self.add(node, SCP.hasSignOff, s)
                self.add(s, SCP.signatoryPost, iri(self.pid, "post", so.post))
                self.date(s, SCP.signedOn, so.date)
                self.add(s, SCP.planned, Literal(so.planned))
                self.evidence(s, so.evidence)
            for i, sub in enumerate(doc.submissions, start=1):
                s = URIRef(f"{node}/submission/{i}")
                self.add(s, RDF.type, SCP.Submission)
                self.add(node, SCP.hasSubmission, s)
                self.add(s, SCP.recipient, self.org(sub.recipient))
                self.date(s, SCP.sentOn, sub.sent)
                self.add(s, SCP.planned, Literal(sub.planned))
                if sub.within_days is not None:
                    self.add(s, SCP.statedWithinDays, Literal(sub.within_days))
                self.evidence(s, sub.evidence)
        prev = self.year.previous_report
        if prev:
            node = iri(self.pid, "previous-report", self.year.period.id)
            self.add(node, RDF.type, SCP.PreviousYearlyReport)
            self.add(node, RDFS.label, Literal(prev.title, lang="en"))
            self.date(node, DCTERMS.issued, prev.published)
            if prev.covers:
                self.add(node, SCP.covers, self.interval(URIRef(f"{node}/covers"), prev.covers.start,
                                                         prev.covers.end, SCP.ReportingPeriod))
            self.evidence(node, prev.evidence)
            self.add(self.year_iri, SCP.previousReport, node)

    def _funding(self) -> None:
        funding = self.year.funding
        if not funding:
            return
        for i, c in enumerate(funding.contributions, start=1):
            node = URIRef(f"{self.year_iri}/contribution/{i}")
            self.add(node, RDF.type, SCP.FundingContribution)
            self.add(self.year_iri, SCP.hasContribution, node)
            self.add(node, SCP.contributedBy, self.org(c.contributor))
            self._money(node, c.amount.amount, c.amount.currency, funding.financial_year)
            self.add(node, SCP.contributionKind, Literal(c.kind.value))
            self.add(node, SCP.oneOff, Literal(c.one_off))
            self.evidence(node, c.evidence)
        for i, e in enumerate(funding.expenditure, start=1):
            node = URIRef(f"{self.year_iri}/expenditure/{i}")
            self.add(node, RDF.type, SCP.Expenditure)
            self.add(self.year_iri, SCP.hasExpenditure, node)
            self.text(node, RDFS.label, e.item)
            self._money(node, e.amount.amount, e.amount.currency, funding.financial_year)
            self.evidence(node, e.evidence)

    def _money(self, node: URIRef, amount: Decimal, currency: str, financial_year: str) -> None:
        self.add(node, SCP.amount, Literal(amount, datatype=XSD.decimal))
        self.add(node, SCP.currency, Literal(currency))
        self.add(node, SCP.financialYear, Literal(financial_year))


def build_graph(loaded: LoadedYear, graph: Graph | None = None) -> Graph:
    """Add one loaded partnership-year to ``graph`` (or a new graph) and return it."""
    return GraphBuilder(loaded, graph).build()
