"""Build step for serious incidents, rapid reviews and practice reviews (see build.py).

Incidents and reviews carry ids, dates, decisions and evidence only: never a child's name or
details (the loader refuses such fields). Controlled values become the concepts of
ontology/reviews.ttl; deadlines and editions are added later by materialise_reviews.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..namespaces import SCP

if TYPE_CHECKING:
    from .graph import GraphBuilder

OUTCOME = {"death": SCP.ChildDeath, "serious-harm": SCP.SeriousHarm}
ABUSE_OR_NEGLECT = {"known": SCP.AbuseOrNeglectKnown, "suspected": SCP.AbuseOrNeglectSuspected}
DECISION = {"initiate": SCP.InitiateReview, "do-not-initiate": SCP.DoNotInitiateReview,
            "pending": SCP.ReviewDecisionPending}
CRITERION = {"a": SCP.Reg11CriterionA, "b": SCP.Reg11CriterionB, "c": SCP.Reg11CriterionC,
             "d": SCP.Reg11CriterionD}
ASPECT = {"time": SCP.TimelinessAspect, "quality": SCP.QualityAspect}
# The concepts a SPARQL set comparison ranges over (shapes/reviews.ttl REG18-11-b, REG18-14-c),
# with their type and label in the data graph: SHACL-SPARQL allows no VALUES clause, and a
# finding should read "criterion (c): ..." rather than an IRI. Copied from ontology/reviews.ttl.
CONCEPTS = {
    SCP.Reg11CriterionA: (SCP.Reg11Criterion, "criterion (a): improvements needed"),
    SCP.Reg11CriterionB: (SCP.Reg11Criterion, "criterion (b): recurrent themes"),
    SCP.Reg11CriterionC: (SCP.Reg11Criterion, "criterion (c): concerns about agencies working together"),
    SCP.Reg11CriterionD: (SCP.Reg11Criterion, "criterion (d): Panel considered a local review more suitable"),
    SCP.TimelinessAspect: (SCP.SupervisionAspect, "time taken"),
    SCP.QualityAspect: (SCP.SupervisionAspect, "quality"),
}


def add_reviews(b: "GraphBuilder") -> None:
    from .iris import iri

    y = b.year
    for incident in y.serious_incidents:
        node = b.entity(iri(b.pid, "incident", incident.id), SCP.SeriousIncident, "incident", incident.id,
                        f"serious incident {incident.id}", incident.evidence)
        b.add(b.year_iri, SCP.hasSeriousIncident, node)
        b.date(node, SCP.laAwareOn, incident.la_aware)
        b.date(node, SCP.partnersToldOn, incident.partners_told)
        if incident.outcome is not None:
            b.add(node, SCP.incidentOutcome, OUTCOME[incident.outcome.value])
        if incident.abuse_or_neglect is not None:
            b.add(node, SCP.abuseOrNeglect, ABUSE_OR_NEGLECT[incident.abuse_or_neglect])
        b.add(node, SCP.childLookedAfter, Literal(incident.looked_after))
        if incident.meets_notification_criteria is not None:
            b.add(node, SCP.meetsNotificationCriteria, Literal(incident.meets_notification_criteria))
        b.add(node, SCP.denotified, Literal(incident.denotified))
        if incident.notified is not None or incident.notified_to:
            note = URIRef(f"{node}/notification")
            b.add(note, RDF.type, SCP.SeriousIncidentNotification)
            b.add(note, RDFS.label, Literal(f"notification of serious incident {incident.id}", lang="en"))
            b.add(node, SCP.hasNotification, note)
            b.date(note, SCP.notifiedOn, incident.notified)
            for recipient in incident.notified_to:
                b.add(note, SCP.notifiedTo, b.org(recipient))

    for rapid in y.rapid_reviews:
        node = b.entity(iri(b.pid, "rapid-review", rapid.id), SCP.RapidReview, "rapid-review", rapid.id,
                        f"rapid review {rapid.id}", rapid.evidence)
        b.add(b.year_iri, SCP.hasRapidReview, node)
        if rapid.incident:
            b.add(node, SCP.forIncident, iri(b.pid, "incident", rapid.incident))
        b.date(node, SCP.startedOn, rapid.started)
        b.date(node, SCP.completedOn, rapid.completed)
        b.date(node, SCP.sentToPanelOn, rapid.sent_to_panel)
        for criterion in rapid.criteria_considered:
            b.add(node, SCP.criterionConsidered, CRITERION[criterion])
        if rapid.immediate_action_considered is not None:
            b.add(node, SCP.immediateActionConsidered, Literal(rapid.immediate_action_considered))
        if rapid.learning_identified is not None:
            b.add(node, SCP.learningIdentified, Literal(rapid.learning_identified))
        if rapid.decision is not None:
            b.add(node, SCP.lcsprDecision, DECISION[rapid.decision])
        b.date(node, SCP.decisionDate, rapid.decision_date)
        b.text(node, SCP.decisionRationale, rapid.decision_rationale)

    for review in y.practice_reviews:
        node = b.entity(iri(b.pid, "review", review.id), SCP.PracticeReview, "review", review.id,
                        review.title, review.evidence)
        b.add(b.year_iri, SCP.hasPracticeReview, node)
        b.add(node, SCP.reviewStatus, Literal(review.status.value))
        b.add(node, SCP.thematic, Literal(review.thematic))
        b.date(node, SCP.decidedOn, review.decided)
        b.date(node, SCP.completedOn, review.completed)
        b.date(node, DCTERMS.issued, review.published)
        if review.published_year:
            b.add(node, SCP.publishedYear, Literal(str(review.published_year), datatype=XSD.gYear))
        if review.rapid_review:
            b.add(node, SCP.fromRapidReview, iri(b.pid, "rapid-review", review.rapid_review))
        b.date(node, SCP.sentToPanelOn, review.sent_to_panel)
        b.date(node, SCP.sentToSecretaryOfStateOn, review.sent_to_secretary_of_state)
        b.add(node, SCP.publicationWithheld, Literal(review.publication_withheld))
        b.date(node, SCP.improvementsPublishedOn, review.improvements_published)
        b.date(node, SCP.availableUntil, review.available_until)
        if review.still_online is not None:
            b.add(node, SCP.stillOnline, Literal(review.still_online))
        b.text(node, SCP.delayReason, review.delay_reason)
        for i, check in enumerate(review.progress_checks, start=1):
            c = URIRef(f"{node}/progress-check/{i}")
            b.add(c, RDF.type, SCP.ProgressCheck)
            b.add(node, SCP.hasProgressCheck, c)
            b.date(c, SCP.checkedOn, check.date)
            for aspect in check.aspects:
                b.add(c, SCP.checksAspect, ASPECT[aspect])
            b.evidence(c, check.evidence)
        for i, request in enumerate(review.information_requests, start=1):
            r = URIRef(f"{node}/reviewer-request/{i}")
            b.add(r, RDF.type, SCP.ReviewerRequest)
            b.add(node, SCP.hasReviewerRequest, r)
            b.date(r, SCP.requestedOn, request.date)
            b.add(r, SCP.inWriting, Literal(request.in_writing))
            b.evidence(r, request.evidence)

    if y.rapid_reviews or y.practice_reviews:
        for concept, (cls, label) in CONCEPTS.items():
            b.add(concept, RDF.type, cls)
            b.add(concept, RDFS.label, Literal(label, lang="en"))
