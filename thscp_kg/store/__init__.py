"""The store: partnership-years as named graphs in an embedded Oxigraph store or a SPARQL endpoint.

``graph_store`` loads built years (one named graph each), lists and selects them, and checks
what is stored with the same shapes and graph checks as ``check``.
"""
