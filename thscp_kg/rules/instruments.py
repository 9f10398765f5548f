"""The public texts citations link to (catalogue/instruments.yaml), read without the catalogue's models."""
from __future__ import annotations

from functools import lru_cache

from ..resources import resource_dir


@lru_cache(maxsize=1)
def instrument_links() -> dict[str, str]:
    """Instrument title -> the public text a citation links to (catalogue/instruments.yaml)."""
    path = resource_dir("catalogue") / "instruments.yaml"
    if not path.is_file():
        return {}
    from ..yamlsafe import load_yaml  # imported when read: a cached catalogue needs no YAML reader

    doc = load_yaml(path, "catalogue/instruments.yaml")
    return {i["title"]: i["link"] for i in (doc.data or {}).get("instruments") or [] if i.get("link")}
