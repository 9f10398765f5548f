"""IRIs and literals for the graph: the one place that names partnership entities, topics and days.

Below every build and materialise module, so none of them needs another to make an IRI.
"""
from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..namespaces import SCP, SCP_ID


def iri(partnership: str, kind: str, local: str | None = None) -> URIRef:
    """The one place IRIs are minted: ``id/<partnership>/<kind>/<local id>``."""
    return SCP_ID[f"{partnership}/{kind}/{local}" if local else f"{partnership}/{kind}"]


def national_iri(local: str) -> URIRef:
    return SCP_ID[f"national/{local}"]


def topic_iri(topic: str) -> URIRef:
    return SCP[f"topic-{topic}"]


def day_iri(day: dt.date) -> URIRef:
    return SCP_ID[f"day/{day.isoformat()}"]


def date_literal(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)
