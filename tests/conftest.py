from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# PYTHONDONTWRITEBYTECODE (set on the 2-core machine) also stops pytest from keeping the test modules it
# rewrites for its assertion messages (__pycache__/*-pytest-*.pyc, checked against each file's mtime and
# size), so each xdist worker rewrote every test file again at every run: ~3.7 s of CPU a worker before
# the first test (issue 16). The pytest processes may keep them; the environment of the thscp-kg processes
# the tests start is unchanged.
sys.dont_write_bytecode = False

# A suite started as a background job of a script (`./run-tests &` with no job control) inherits SIGINT
# ignored, as do the commands its tests start; such a command rightly ignores Ctrl-C, and every Ctrl-C
# test failed (130 expected; the check ran to its end, or ran on until the test's timeout). The pytest
# processes take Python's own handler back, so the commands they start get the default disposition.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
REQUIREMENT_FIXTURES = ROOT / "tests" / "requirements"
THSCP_2023_24 = ROOT / "data" / "tower-hamlets" / "2023-24.yaml"


# Results of two pure steps kept for the rest of the process (issue 16). The tests read the same files
# again and again (THSCP's years, the fixtures, the partnerships of other shapes): of ~3,600 YAML parses
# in a run, ~740 were of a text parsed before, and of ~1,460 validations ~940 (~5.5 s of CPU in all).
# - thscp_kg.yamlsafe.parse_yaml is a function of its text, display name and YAML loader;
# - thscp_kg.load.loader._validate (the year's plain copy and dump) is a function of the parsed data.
# Both are looked up at each call. The first call with given inputs is made by the real function, and a
# later call with the same inputs gets an unpickled copy of its result (fresh objects, as a new call
# gives). Input either refuses raises at every call: only results are kept. At most KEPT are held per
# function, the oldest dropped. tests/test_loader.py compares kept results with fresh ones.
KEPT = 256


def _keep_results(module, name: str, key) -> None:
    import collections
    import pickle

    real = getattr(module, name)
    kept: collections.OrderedDict = collections.OrderedDict()

    def keeping(*args):
        k = key(*args)
        blob = kept.get(k)
        if blob is not None:
            kept.move_to_end(k)
            return pickle.loads(blob)
        result = real(*args)
        kept[k] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        if len(kept) > KEPT:
            kept.popitem(last=False)
        return result

    keeping.fresh = real   # the real function, for the tests that compare the two
    setattr(module, name, keeping)


def _keep_parses_and_validations() -> None:
    import hashlib
    import pickle

    from thscp_kg import yamlsafe
    from thscp_kg.load import loader

    _keep_results(yamlsafe, "parse_yaml", lambda text, display: (
        hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), display, yamlsafe._LOADER))
    _keep_results(loader, "_validate", lambda data: hashlib.sha256(
        pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)).digest())


_keep_parses_and_validations()


# pytest-xdist (pyproject addopts: -n auto --dist loadfile): a file's tests run on one worker, so its
# module fixtures are built once (but for SPLIT_FILES below). (--dist loadgroup with an xdist_group mark per file, used before, no
# longer groups anything under pytest 9.2 with pytest-xdist 3.8: xdist names the group by rewriting
# item._nodeid, which pytest 9 no longer reads, so every test was scheduled alone and each worker built
# the module fixtures again; issue 16, docs/decisions/0022-cold-start-imports-and-suite-time.md.)
#
# Which file starts first. xdist's loadfile queues files by their number of tests (most first), so a
# file with few but slow tests (test_ontology: one HermiT run of 25-60 s) started last and was the
# run's tail while the other worker sat idle. With `--no-loadscope-reorder` (pyproject addopts) the
# queue follows the collection order, which this hook sets: the slowest files first (longest job
# first), by the seconds each took in a measured run (`--durations=0`, summed per file); files not
# listed follow in their usual order. Only the order of files changes: every test still runs, and a
# file's tests keep their order. Re-measure when a file's time changes a lot.
SLOWEST_FILES = (  # re-measured 2026-12-01 22:23-22:41 UTC, two runs (decision 0032)
    "test_engine_parity.py", "test_store_processes.py", "test_crosscheck.py", "test_browser.py", "test_forked.py",
    "test_ontology.py", "test_document_formats.py", "test_requirements.py", "test_properties.py", "test_store.py",
    "test_cli.py", "test_cache.py", "test_endpoint_faults.py", "test_terminal_summary.py", "test_partnerships.py",
    "test_diff.py", "test_trend.py", "test_cold_check.py", "test_store_faults.py", "test_people.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


# Files whose tests are independent cases over a corpus (each builds nothing for the file but cheap module
# fixtures; their graphs come from the shared pickles below) are split into this many work units, so that
# the largest file is not one chunk on one worker while the other worker runs out of files (issue 16). A
# test's unit is fixed by its id (crc32), so both workers and every run agree on it.
SPLIT_FILES = {"test_engine_parity.py": 2, "test_crosscheck.py": 2}


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    import zlib

    from xdist.scheduler import LoadFileScheduling

    class FileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            parts = SPLIT_FILES.get(file.rsplit("/", 1)[-1])
            return f"{file}#{zlib.crc32(nodeid.encode()) % parts}" if parts else file

    return FileScheduling(config, log)


# The materialised graph of a data file, built once per test run and shared by the files that sweep every
# fixture (engine parity, cross-check, ontology, reviews: ~5 s of building each, 1.3 s of unpickling).
# Each graph is pickled into the run's temporary folder, which pytest-xdist's workers share (pytest-N; a
# plain pytest run uses its own basetemp), named by the file's path and the hash of its bytes. A pickle is
# written whole and renamed into place, so a reader sees all of it or none; two workers that build the
# same graph at once both write the same content. Each call unpickles a fresh copy: a test may change it.
_MATERIALISED_DIR: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def _materialised_dir(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "materialised"
    folder.mkdir(exist_ok=True)
    _MATERIALISED_DIR[:] = [folder]


def materialised(path: Path):
    """``(loaded, graph)``: ``load_partnership_year(path)`` and its ``build_materialised`` graph under the
    default profile with no as-of date (what ``check_file`` validates, before ``require_evidence``)."""
    import hashlib
    import pickle
    import tempfile

    data = path.read_bytes()
    name = hashlib.sha256(str(path.resolve()).encode() + b"\0" + data).hexdigest() + ".pickle"
    stored = _MATERIALISED_DIR[0] / name if _MATERIALISED_DIR else None
    if stored is not None and stored.exists():
        return pickle.loads(stored.read_bytes())
    from thscp_kg.load.loader import load_partnership_year
    from thscp_kg.pipeline import as_of_for, build_materialised
    from thscp_kg.rules.profile import load_profile

    loaded = load_partnership_year(path)
    built = (loaded, build_materialised(loaded, load_profile(None), as_of_for(loaded, None)))
    if stored is not None:
        with tempfile.NamedTemporaryFile(dir=stored.parent, suffix=".tmp", delete=False) as out:
            out.write(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(out.name, stored)
    return built


@pytest.fixture(scope="session")
def catalogue():
    from thscp_kg.rules.catalogue import load_catalogue
    return load_catalogue()


@pytest.fixture(scope="session")
def shapes():
    from thscp_kg.validate.shapes import shapes_graph
    return shapes_graph()


@pytest.fixture(scope="session")
def thscp_run():
    from thscp_kg.pipeline import check_file
    return check_file(THSCP_2023_24, display="data/tower-hamlets/2023-24.yaml")


# Measuring a child process's own peak memory. On Linux a child's ru_maxrss starts from its
# parent's resident size at fork (the high-water mark survives exec), so a child started from a
# large pytest worker reports the worker's memory, not its own. The command is therefore started
# by a small launcher process, which forks the real child from its own fresh, small memory and
# writes the child's rusage to a file: that figure is the child's alone.
MEASURE_LAUNCHER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"status": status, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss}, fh)
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def measured_command(argv: list[str], usage_file: Path) -> list[str]:
    """``argv`` wrapped in the launcher; after it exits, read the child's usage with ``child_usage``."""
    import sys

    return [sys.executable, "-c", MEASURE_LAUNCHER, str(usage_file), *argv]


def child_usage(usage_file: Path) -> tuple[int, float, int]:
    """(exit code, CPU seconds, peak resident bytes) of the measured child."""
    import json
    import os
    import sys

    data = json.loads(usage_file.read_text())
    return (os.waitstatus_to_exitcode(data["status"]), data["cpu"],
            data["maxrss"] * (1 if sys.platform == "darwin" else 1024))


def assert_stops_at_once(proc: subprocess.Popen, sig: int, code: int) -> None:
    """Send ``sig`` to the running command ``proc`` (started with stderr=PIPE, text): it must exit with
    ``code`` within 5 s, saying so in one line on standard error with no traceback."""
    import time

    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    stopped = time.monotonic() - sent
    assert proc.returncode == code, (proc.returncode, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert stopped < 5, stopped


def copy_thscp(folder: Path, name: str = "2023-24.yaml", source: Path = THSCP_2023_24) -> Path:
    """A THSCP data file copied into ``folder`` with its sources/ beside it (its ``file:`` paths
    are relative to the data file, and a declared file that is missing is bad input)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / name)
    shutil.copytree(source.parent / "sources", folder / "sources", dirs_exist_ok=True)
    return folder / name


# THSCP 2023-24 records no holder of its lead safeguarding partner post icb-chief-executive, and a
# vacant post neither approves a waiver nor signs a report (issue 14 #18). Tests that need a lead
# partner to act use a copy in which a fictional person holds it.
ICB_HOLDER = "icb-ceo-test-holder"


def with_icb_holder(text: str) -> str:
    """THSCP 2023-24's text with ICB_HOLDER recorded (as a person) holding icb-chief-executive."""
    block = "  - id: icb-chief-executive\n"
    at = text.index("    holders: []\n", text.index(block))
    text = text[:at] + f"    holders:\n      - person: {ICB_HOLDER}\n" + text[at + len("    holders: []\n"):]
    return text.replace("people:\n", f"people:\n  - id: {ICB_HOLDER}\n    name: Test Holder\n", 1)


def run_main(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``thscp-kg ARGS`` through ``thscp_kg.cli.main`` in this process: exit code, standard output and
    standard error as a CompletedProcess, like ``subprocess.run(..., capture_output=True, text=True)``
    but with no interpreter start-up and no re-import per call (issue 16). The streams are UTF-8 text
    wrappers over bytes (they have ``.buffer``, are not terminals), ``cwd`` and ``env`` are set for
    the call and restored. Exit codes, streams and signals of a real process are tested with
    ``subprocess`` in tests/test_cli.py (``cli_process``) and tests/test_bad_inputs.py."""
    from thscp_kg.cli import main

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    before_dir, saved_env = os.getcwd(), dict(os.environ)
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        os.chdir(before_dir)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["thscp-kg", *args], code, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")


def yaml_load(text: str):
    """``yaml.safe_load(text)``'s data, parsed by libyaml when PyYAML has it (as the product's reader does,
    thscp_kg/yamlsafe.py): the same SafeConstructor builds the same values from the same events, and the
    C scanner is ~5x faster than the pure-Python one, which took 6 of test_schema's 8 s (issue 16)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def same_values(model, copy, where: str) -> int:
    """Every field, computed field and property of ``model`` equals the copy's; returns how many were compared."""
    from pydantic import BaseModel

    from thscp_kg.plain import Plain, kind_of, value_names

    if isinstance(model, BaseModel):
        assert isinstance(copy, Plain), where
        assert type(copy) is kind_of(model), where   # with its mixin's methods
        names = value_names(model)
        assert sorted(vars(copy)) == sorted([*names, *type(copy).extra_values(model)]), where
        return sum(same_values(getattr(model, n), getattr(copy, n), f"{where}.{n}") for n in names)
    if isinstance(model, (list, tuple)):
        assert type(copy) is type(model) and len(copy) == len(model), where
        return sum(same_values(m, c, f"{where}[{i}]") for i, (m, c) in enumerate(zip(model, copy)))
    if isinstance(model, dict):
        assert list(copy) == list(model), where
        return sum(same_values(model[k], copy[k], f"{where}[{k!r}]") for k in model)
    assert type(copy) is type(model) and copy == model, where
    return 1
