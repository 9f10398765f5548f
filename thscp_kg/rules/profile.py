"""Edition profiles: dated parameters of the rules (catalogue/profiles/*.yaml).

Which edition governs an action is decided here, by the action's date, so that a year
straddling 15 December 2023 is judged under WT2018 before and WT2023 after. The profile's
pydantic models are in ``profile_model``; the run reads the validated profile's plain copy
(thscp_kg/plain.py), so a cold run with an unchanged profile does not import pydantic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, is_validation_error
from ..resources import resource_dir

if TYPE_CHECKING:
    from .profile_model import Profile

@dataclass(frozen=True)
class LoadedProfile:
    profile: Profile   # its plain copy (thscp_kg/plain.py)
    file: str
    data: dict = field(default_factory=dict, compare=False)   # the model's model_dump(mode="json")


def _merge(base: object, override: object) -> object:
    """A tailoring over a base profile: mappings merge key by key; anything else replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return override


def load_profile(path: Path | str | None = None) -> LoadedProfile:
    """A profile file. One that starts ``extends: default`` (or a path) holds only what it changes:
    e.g. a commencement date, or the rapid review clock start (OpenSCAP-style tailoring)."""
    return _read(Path(path)) if path else _default_profile()


def _default_profile() -> LoadedProfile:
    """The default profile, from the compiled cache while its file and the code that reads it are
    unchanged: a run (and each ``check --store`` worker) then neither imports the YAML reader nor
    parses the file (~45 ms; issue 16). A file that does not validate raises, and is never stored."""
    from ..resources import cached, key_of, pydantic_version_file

    path = resource_dir("catalogue") / "profiles" / "default.yaml"
    here = Path(__file__).resolve()
    package = here.parent.parent
    sources = [path, here, here.parent / "profile_model.py", here.parent / "reads.py", package / "model.py",
               package / "model_values.py", package / "plain.py", package / "safe_text.py", package / "yamlsafe.py",
               pydantic_version_file()]
    return cached("profile-default", key_of(sources, "profile-default-1", str(path)), lambda: _read(path))


def _read(path: Path) -> LoadedProfile:
    from ..yamlsafe import load_yaml

    display = str(path) if path.is_absolute() is False else path.name
    doc = load_yaml(path, display)
    data = doc.data
    if isinstance(data, dict) and "extends" in data:
        base_name = str(data["extends"])
        base_path = (resource_dir("catalogue") / "profiles" / f"{base_name}.yaml" if "/" not in base_name
                     and not base_name.endswith(".yaml") else path.parent / base_name)
        if not base_path.is_file():
            raise ConfigError(f"profile: the profile it extends, '{base_name}', is not found.", file=display,
                              line=doc.line_of(("extends",)), fix="write 'extends: default' or a path to a profile file.")
        base = load_yaml(base_path, str(base_path)).data
        data = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    try:
        profile, dumped = _validate(data)
    except Exception as exc:   # pydantic's, when the file had to be validated
        if not is_validation_error(exc):
            raise
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        raise ConfigError(f"profile: {err['msg']} (at {'.'.join(map(str, loc))}).", file=display,
                          line=doc.line_of(loc), fix="see catalogue/profiles/default.yaml for the format.") from None
    missing = {e.id for e in profile.editions} - set(profile.yearly_report.recipients)
    if missing:
        raise ConfigError(f"profile: no yearly report recipients for {', '.join(sorted(missing))}.",
                          file=display, fix="add them under yearly_report.recipients.")
    return LoadedProfile(profile, display, dumped)


def _validate(data: object) -> tuple[Profile, dict]:
    """The plain copy of the validated profile and its JSON dump (what requirement hashes read), from the
    compiled cache when nothing changed."""
    from ..plain import plain
    from ..resources import validated

    here = Path(__file__).resolve()   # the profile's own types come from the data model too
    package = here.parent.parent
    sources = [here, here.parent / "profile_model.py", here.parent / "reads.py", package / "model.py",
               package / "model_values.py", package / "plain.py", package / "safe_text.py"]
    return validated("profile", "thscp_kg.rules.profile_model:Profile", data, sources,
                     derive=lambda profile: (plain(profile), profile.model_dump(mode="json")))
