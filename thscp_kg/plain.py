"""Validated pydantic models copied into plain Python objects, which a cold run reads without pydantic.

Importing pydantic and creating the models' classes costs a cold ``check`` 0.2–0.3 s, more than
everything it then does with them (issue 16). The data file, the profile, the catalogue and the
waiver and people files are therefore validated by their pydantic models, and what the rest of the
run reads is a ``Plain`` copy: each model becomes an object holding the same values (its fields,
computed fields and properties, evaluated when the copy is made). A model whose methods are read
shares them with its copy through a mixin of a pydantic-free module (``model_values``,
``rules/reads``), and the copy's class is the ``Plain`` subclass registered for that mixin
(``plain_kind``). The copies are what the compiled cache keeps (thscp_kg/resources.py
``validated``), so a cold run with unchanged files never imports pydantic.
tests/test_plain_models.py compares every copy with its model on every data file and fixture.
"""
from __future__ import annotations

from functools import lru_cache

_KINDS: dict[type, type] = {}   # a mixin of methods -> the Plain class that copies a model having it


class Plain:
    """A validated model's values as attributes; equal when of one kind and the values are equal;
    read-only, as the models are frozen."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only (a copy of a frozen model)")

    def __eq__(self, other):
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash((type(self), tuple(self.__dict__.items())))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def copy_with(self, **changes):
        """A copy with ``changes`` (``dataclasses.replace`` for a plain copy)."""
        return _rebuild(type(self), {**self.__dict__, **changes})

    def __reduce__(self):   # pickled by value: __setattr__ refuses the default unpickling
        return (_rebuild, (type(self), self.__dict__))

    @classmethod
    def extra_values(cls, model) -> dict:
        """Values a kind keeps beside the model's (results of methods it answers from the copy)."""
        return {}


def _rebuild(kind: type, values: dict):
    copy = kind.__new__(kind)
    copy.__dict__.update(values)
    return copy


def plain_kind(kind: type) -> type:
    """Class decorator: ``kind`` (``Plain`` and a mixin) copies every model that has that mixin."""
    mixin = next(b for b in kind.__bases__ if b is not Plain)
    _KINDS[mixin] = kind
    return kind


@lru_cache(maxsize=None)
def _names_and_kind(cls: type) -> tuple[tuple[str, ...], type]:
    """A model class's fields, computed fields and properties of its own classes (not pydantic's nor
    a mixin's: the copy's class has the mixin), and the Plain class its copies are."""
    from pydantic import BaseModel

    names = list(cls.model_fields) + list(cls.model_computed_fields)
    for base in cls.__mro__:
        if base is BaseModel or not issubclass(base, BaseModel):
            continue
        names += [n for n, v in vars(base).items() if isinstance(v, property) and not n.startswith("_")]
    kind = next((_KINDS[base] for base in cls.__mro__ if base in _KINDS), Plain)
    return tuple(dict.fromkeys(names)), kind


def value_names(model) -> list[str]:
    """The names a model's copy holds: its fields, computed fields and properties of its own classes."""
    return list(_names_and_kind(type(model))[0])


def kind_of(model) -> type:
    """The class of a model's copy: the Plain class registered for a mixin it has, else ``Plain``."""
    return _names_and_kind(type(model))[1]


def plain(value, kind: type | None = None):
    """``value`` with every pydantic model in it copied into its ``Plain`` kind (lists, tuples and
    dicts stay so). ``kind``: the class of the outermost copy, instead of the registered one."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        names, registered = _names_and_kind(type(value))
        kind = kind or registered
        values = {name: plain(getattr(value, name)) for name in names}
        values.update(kind.extra_values(value))
        return _rebuild(kind, values)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
