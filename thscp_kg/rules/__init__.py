"""The rules: the requirements catalogue and the profile of uncertain parameters, read from YAML.

``catalogue`` loads ``catalogue/requirements/*.yaml`` (ids, citations, modality, verification);
``profile`` loads ``catalogue/profiles/*.yaml`` (editions, day counts, recipients, topics);
``index`` renders the browsable requirements index. Every stage may read the rules; the rules
import only the core.
"""
from __future__ import annotations

from .catalogue import Catalogue, Requirement, load_catalogue
from .profile import LoadedProfile, Profile, load_profile

__all__ = ["Catalogue", "LoadedProfile", "Profile", "Requirement", "load_catalogue", "load_profile"]
