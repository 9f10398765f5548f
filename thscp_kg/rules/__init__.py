"""The rules: the requirements catalogue and the profile of uncertain parameters, read from YAML.

``catalogue`` loads ``catalogue/requirements/*.yaml`` (ids, citations, modality, verification);
``profile`` loads ``catalogue/profiles/*.yaml`` (editions, day counts, recipients, topics);
``index`` renders the browsable requirements index; ``plain`` keeps a pydantic-free copy of the
validated catalogue and changelog for ``check``, ``rules`` and ``explain``, whose lookups (``reads``)
both share; ``profile_model`` holds the profile's pydantic models (``profile`` reads their plain copy). Every stage may read the rules; the rules
import only the core.

The names below are imported when first used (PEP 562), so ``thscp-kg rules`` and ``explain``,
which read only the catalogue, do not import the profile and with it the data model (issue 16).
"""
from __future__ import annotations

__all__ = ["Catalogue", "LoadedProfile", "Profile", "Requirement", "load_catalogue", "load_profile"]
_HOME = {"Catalogue": "catalogue", "Requirement": "catalogue", "load_catalogue": "catalogue",
         "LoadedProfile": "profile", "Profile": "profile_model", "load_profile": "profile"}


def __getattr__(name: str):
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
