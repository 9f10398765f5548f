"""The shapes graph is valid SHACL and every requirement shape carries its provenance."""
from __future__ import annotations

from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from thscp_kg.namespaces import SCP, SCP_REQ, SCP_SH

CONSTRAINT_KEYS = {SH.minCount, SH.maxCount, SH["in"], SH.hasValue, SH["class"], SH.qualifiedValueShape,
                   SH.lessThanOrEquals, SH.lessThan, SH.sparql, SH["or"], SH["and"], SH["not"], SH.node,
                   SH.datatype, SH.pattern, SH.minInclusive, SH.maxInclusive}


def _requirement_shapes(shapes):
    return sorted(s for s in shapes.subjects(DCTERMS.identifier, None)
                  if isinstance(s, URIRef) and str(s).startswith(str(SCP_SH)) and s != URIRef(str(SCP_SH)))


def test_shapes_graph_passes_meta_shacl(shapes):
    import pyshacl
    from rdflib import Graph

    empty = Graph()
    conforms, _, text = pyshacl.validate(empty, shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


def test_every_shape_with_a_constraint_is_named_and_annotated(shapes):
    for node in set(shapes.subjects(None, None)):
        keys = set(shapes.predicates(node, None))
        is_top = (node, RDF.type, SH.NodeShape) in shapes or (node, RDF.type, SH.PropertyShape) in shapes
        if not is_top:
            continue
        assert isinstance(node, URIRef), f"blank-node shape with constraints {keys & CONSTRAINT_KEYS}"
        assert shapes.value(node, DCTERMS.identifier) is not None, node
        assert shapes.value(node, SCP.requirement) == SCP_REQ[str(shapes.value(node, DCTERMS.identifier))]
        assert list(shapes.objects(node, DCTERMS.source)), node
        assert shapes.value(node, SH.name).language == "en", node
        assert shapes.value(node, RDFS.isDefinedBy) == URIRef(str(SCP_SH)), node
        if keys & CONSTRAINT_KEYS:
            message = shapes.value(node, SH.message)
            assert message is not None and message.language == "en", node
            assert str(message).startswith(str(shapes.value(node, DCTERMS.identifier)) + ": "), node
            assert shapes.value(node, SH.severity) in (SH.Violation, SH.Warning, SH.Info), node
            assert shapes.value(node, SCP.failureStatus) in (SCP.NotMet, SCP.NotEvidenced), node


def test_no_blank_node_property_children(shapes):
    """A blank-node sh:property child would take results away from the requirement's shape."""
    for shape in _requirement_shapes(shapes):
        for child in shapes.objects(shape, SH.property):
            assert not isinstance(child, BNode), shape


def test_severity_matches_catalogue(catalogue, shapes):
    """A shape has its requirement's severity, or a lower one only when it says why
    (``scp:severityReason``, e.g. a health partner evidenced for nine months of twelve)."""
    expected = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
    rank = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
    for r in catalogue.active():
        for shape in r.shapes:
            severity = shapes.value(SCP_SH[shape], SH.severity)
            if severity == expected[r.severity]:
                continue
            assert rank[severity] > rank[expected[r.severity]], f"{shape} is more severe than {r.id}"
            assert shapes.value(SCP_SH[shape], SCP.severityReason), f"{shape}: a lower severity needs scp:severityReason"


def test_no_date_arithmetic_inside_sparql(shapes):
    """pySHACL silently drops xsd:dateTime casts and date subtraction (perf-anchors, portability)."""
    for select in shapes.objects(None, SH.select):
        text = str(select)
        for idiom in ("xsd:dateTime(", "YEAR(", "MONTH(", "DAY(", "NOW("):
            assert idiom not in text, idiom
