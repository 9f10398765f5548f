"""Load stage: a data file (YAML text) in, a validated ``LoadedYear`` out — or one clear error.

``loader`` reads the file with the core's safe YAML reader (``thscp_kg.yamlsafe``: size and depth
caps, line numbers), turns it into the pydantic model (``thscp_kg.model``) and checks
cross-references; ``waivers`` loads the
waivers file beside a data file and applies it to findings; ``schema`` is the model's JSON
Schema. Nothing here imports rdflib or a SHACL engine.
"""
from __future__ import annotations

from .loader import LoadedYear, load_partnership_year, national_bodies

__all__ = ["LoadedYear", "load_partnership_year", "national_bodies"]
