"""Reason: the ontology (and optionally a partnership-year's graph) in; whether OWL finds it consistent out.

``hermit`` hands a copy to owlready2's HermiT reasoner (Java): disjointness, domains, ranges and
functional properties. A side branch of the flow (``thscp-kg reason``): ``check`` never calls it.
"""
