"""How many entities of each kind one partnership-year may list.

The YAML caps (size, depth, values) bound what a file costs to read; these bound what its graph
costs to check and report. A real partnership has tens of groups and posts (THSCP 2023-24: 9
groups, 11 posts); a file with thousands is generated or hostile, and the checks, measures and
diagram it would need are refused with one clear line instead (issue 14; bench/hostile_graphs.py
shows the cost at the caps).
"""
from __future__ import annotations

from ..errors import DataError

MAX_ENTITIES = {  # field of the data file → the most entries it may hold
    "organisations": 300,
    "people": 500,
    "posts": 500,
    "groups": 200,
    "linked_boards": 100,
    "priorities": 100,
}
MAX_LIST_ENTRIES = 200  # any one list inside an entry, e.g. a group's member_posts


def check_entity_counts(data: dict, file: str, line_of) -> None:
    """Raise DataError for the first list above its cap; ``line_of(path)`` gives a path's line."""
    for field, limit in MAX_ENTITIES.items():
        entries = data.get(field)
        if isinstance(entries, list) and len(entries) > limit:
            raise DataError(f"'{field}' lists {len(entries):,} entries; a partnership-year may list at most "
                            f"{limit:,}.", file=file, line=line_of((field,)),
                            fix="check the file was not generated or pasted wrongly; a partnership's "
                                "governance has tens of entries here, not hundreds.")
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            for key, value in (entry.items() if isinstance(entry, dict) else ()):
                if isinstance(value, list) and len(value) > MAX_LIST_ENTRIES:
                    raise DataError(f"'{key}' lists {len(value):,} entries; at most {MAX_LIST_ENTRIES:,} are "
                                    "allowed.", file=file, line=line_of((field, i, key)),
                                    fix="check the list was not generated or pasted wrongly.")
