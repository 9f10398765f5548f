"""check --store in worker processes (store/processes.py, docs/decisions/0026): the same report as in one
process, clear errors when a worker fails, and Ctrl-C, SIGTERM and kill -9 leave no worker behind.

Every check here is a real process: the workers are forked only from a process with one thread that
has not opened the store, which a test runner is not."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, THSCP_2023_24, assert_stops_at_once

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes are Linux-only")


def _env(processes: int | None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "THSCP_KG_STORE_PROCESSES"}
    env.update(PYTHONPATH=str(ROOT), **extra)
    if processes is not None:
        env["THSCP_KG_STORE_PROCESSES"] = str(processes)
    return env


def _run(args: list[str], processes: int | None, patch: str = "", **extra) -> subprocess.CompletedProcess:
    """``thscp-kg ARGS`` in a fresh process; ``patch``: Python run first (to make a worker fail)."""
    code = f"import sys\n{patch}\nfrom thscp_kg.cli import main\nsys.exit(main({args!r}))\n"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(processes, **extra),
                          capture_output=True, text=True, timeout=300)


# Record in a file, from the command, whether (and from how many threads) the workers were forked.
SPY = """
import os
from thscp_kg.store import processes
_init, _map = processes.YearProcesses.__init__, processes.YearProcesses.map
def init(self, n, *a, **k):
    with open(os.environ["SPY"], "a") as fh:
        fh.write(f"fork {n} threads={len(os.listdir('/proc/self/task'))}\\n")
    _init(self, n, *a, **k)
def map_(self, years, *args, **kwargs):
    with open(os.environ["SPY"], "a") as fh:
        fh.write(f"map {len(self)} {len(years)}\\n")
    return _map(self, years, *args, **kwargs)
processes.YearProcesses.__init__, processes.YearProcesses.map = init, map_
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Seven partnership-years: six generated (with the bench's injected gaps) and THSCP 2023-24."""
    base = tmp_path_factory.mktemp("processes")
    data = base / "data"
    made = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(data), "2", "3"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    path = base / ".thscp-store"
    loaded = _run(["load", str(data), str(THSCP_2023_24), "--store", str(path), "-q"], None)
    assert loaded.returncode == 0, loaded.stderr
    return path


def test_the_workers_give_the_report_of_one_process(store, tmp_path):
    one = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "one")], 1)
    spy = tmp_path / "spy"
    two = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "two")], 2, SPY, SPY=str(spy))
    assert one.returncode == two.returncode == 1, (one.stderr, two.stderr)
    assert spy.read_text() == "fork 2 threads=1\nmap 2 7\n"  # forked from one thread; the years sent to 2 workers
    report = (tmp_path / "one" / "store-check.json").read_bytes()
    assert (tmp_path / "two" / "store-check.json").read_bytes() == report
    assert one.stdout.replace(str(tmp_path / "one"), "OUT") == two.stdout.replace(str(tmp_path / "two"), "OUT")
    years = json.loads(report)["years"]
    assert len(years) == 7 and sum(len(y["findings"]) for y in years) > 7  # findings in several years
    assert sum(1 for y in years if y["findings"]) >= 3


def test_only_and_requirement_in_the_workers(store, tmp_path):
    args = ["--only", "tower-hamlets", "--only", "synth-001", "--requirement", "GOV-01",
            "--requirement", "WT23-LSP-01", "--fail-on", "never"]
    one = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "one"), *args], 1)
    two = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "two"), *args], 2)
    assert one.returncode == two.returncode == 0, (one.stderr, two.stderr)
    report = (tmp_path / "one" / "store-check.json").read_bytes()
    assert (tmp_path / "two" / "store-check.json").read_bytes() == report
    assert json.loads(report)["checked"] == 4


def test_a_small_store_is_checked_without_workers(store, tmp_path):
    """Seven years are fewer than processes.MIN_YEARS: the workers forked at the start are never sent one."""
    spy = tmp_path / "spy"
    result = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "o")], None, SPY, SPY=str(spy))
    assert result.returncode == 1, result.stderr
    forks = spy.read_text().splitlines() if spy.exists() else []
    assert not [line for line in forks if line.startswith("map")], forks


def test_a_missing_year_found_while_the_workers_check_is_exit_2(store, tmp_path):
    """The completeness of the store is asked while the workers check their first years (decision 0036):
    a year gone from it still stops the run with its one line, nothing written, no worker left behind."""
    import shutil

    from thscp_kg.store.graph_store import LocalStore, stored_years

    damaged = tmp_path / "store"
    shutil.copytree(store, damaged)
    with LocalStore(damaged) as backend:
        gone = next(y for y in stored_years(backend) if y.key == "tower-hamlets/2023-24")
        backend.update(f"DROP GRAPH <{gone.graph}>")
    out, spy = tmp_path / "o", tmp_path / "spy"
    result = _run(["check", "--store", str(damaged), "--output-dir", str(out)], 2, SPY, SPY=str(spy))
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "the store holds 6 of 7 expected partnership-years; missing: tower-hamlets/2023-24" in lines[0], lines[0]
    assert "map 2 7" in spy.read_text()   # found with the years already sent to the workers
    assert not out.exists(), "nothing is written for an incomplete store"


KILL_A_WORKER = """
import os, signal
from thscp_kg.store import graph_store
_check = graph_store.CheckPlan.check
def check(self, backend, year):
    if year.key == "tower-hamlets/2023-24":
        os.kill(os.getpid(), signal.SIGKILL)   # as the kernel's out-of-memory killer would
    return _check(self, backend, year)
graph_store.CheckPlan.check = check
"""


def test_a_killed_worker_is_exit_2_naming_the_year(store, tmp_path):
    out = tmp_path / "o"
    result = _run(["check", "--store", str(store), "--output-dir", str(out)], 2, KILL_A_WORKER)
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert ("a worker process of check --store was killed by signal 9 while checking tower-hamlets/2023-24; "
            "nothing was written.") in lines[0] and "THSCP_KG_STORE_PROCESSES=1" in lines[0], lines[0]
    assert not out.exists()


RAISE = """
from thscp_kg.errors import ConfigError
from thscp_kg.store import graph_store
_check = graph_store.CheckPlan.check
def check(self, backend, year):
    if year.key == "synth-002/2020-21":
        raise {error}
    return _check(self, backend, year)
graph_store.CheckPlan.check = check
"""


def test_an_error_in_a_worker_is_the_error_of_one_process(store, tmp_path):
    """A UserError: exit 2 and the same line; any other exception: exit 3, internal, naming the year."""
    user = RAISE.format(error='ConfigError("the year is odd.", file="f.yaml", line=3, fix="even it.")')
    one = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "1")], 1, user)
    two = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "2")], 2, user)
    assert one.returncode == two.returncode == 2, (one.stderr, two.stderr)
    assert two.stderr == one.stderr == "thscp-kg: error: f.yaml:3: the year is odd. Fix: even it.\n"
    internal = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "3")], 2,
                    RAISE.format(error='KeyError("oops")'))
    assert internal.returncode == 3, internal.stderr
    assert "internal error: RuntimeError: checking synth-002/2020-21 in a worker process: " \
           "KeyError: 'oops'" in internal.stderr and "Traceback" not in internal.stderr, internal.stderr
    assert not (tmp_path / "2").exists() and not (tmp_path / "3").exists()


PLAN_FAILS = """
from thscp_kg.errors import ConfigError
from thscp_kg.store import graph_store
def check_plan(*args, **kwargs):
    raise ConfigError("the shapes are odd.", file="shapes.ttl", line=7, fix="even them.")
graph_store.check_plan = check_plan
"""


def test_a_worker_that_cannot_make_its_plan_is_the_error_of_one_process(store, tmp_path):
    """The workers make their plan as soon as they are forked, before any year reaches them: a failure
    there is still the one-process error, exit 2, nothing written."""
    one = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "1")], 1, PLAN_FAILS)
    two = _run(["check", "--store", str(store), "--output-dir", str(tmp_path / "2")], 2, PLAN_FAILS)
    assert one.returncode == two.returncode == 2, (one.stderr, two.stderr)
    assert two.stderr == one.stderr == "thscp-kg: error: shapes.ttl:7: the shapes are odd. Fix: even them.\n"
    assert not (tmp_path / "1").exists() and not (tmp_path / "2").exists()


def test_a_bad_number_of_processes_is_exit_2(store, tmp_path):
    result = _run(["check", "--store", str(store), "--output-dir", str(tmp_path)], None,
                  THSCP_KG_STORE_PROCESSES="two")
    assert result.returncode == 2 and "THSCP_KG_STORE_PROCESSES must be a whole number" in result.stderr


SLOW = """
import time
from thscp_kg.store import graph_store
def check(self, backend, year):
    time.sleep(120)   # a year that takes long
graph_store.CheckPlan.check = check
"""


def _children(pid: int) -> set[int]:
    from test_store_faults import _children as children

    return children(pid)


def _gone(pids: set[int], within: float) -> bool:
    from test_store_faults import _alive

    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


def _slow_check(store, tmp_path) -> tuple[subprocess.Popen, set[int]]:
    code = f"import sys\n{SLOW}\nfrom thscp_kg.cli import main\nsys.exit(main({['check', '--store', str(store), '--output-dir', str(tmp_path)]!r}))\n"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=_env(2), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    time.sleep(1.0)  # the years sent, the workers inside them
    return proc, workers


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_stops_the_workers_at_once(store, tmp_path, sig, code):
    proc, workers = _slow_check(store, tmp_path)
    try:
        assert len(workers) == 2 and proc.poll() is None, proc.communicate()
        assert_stops_at_once(proc, sig, code)
    finally:
        proc.kill()
    assert _gone(workers, 5), "a worker outlived the stopped command"


def test_the_workers_die_with_a_killed_command(store, tmp_path):
    proc, workers = _slow_check(store, tmp_path)
    try:
        assert len(workers) == 2, proc.communicate()
        proc.kill()
        proc.wait(timeout=30)
        assert _gone(workers, 15), "a worker outlived the command killed with -9"
    finally:
        proc.kill()
        for w in workers:
            try:
                os.kill(w, signal.SIGKILL)
            except ProcessLookupError:
                pass


# Where a 4 MB block comes from: glibc serves blocks above its mmap threshold (128 KB in a fresh process)
# with a mapping of their own, unmapped again when freed, and smaller ones from the heap ([heap] in maps).
HEAP_PROBE = """
import ctypes, platform, sys
if platform.libc_ver()[0] != "glibc":
    print("not glibc"); sys.exit(0)
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, (ctypes.c_size_t,)
def from_heap() -> bool:
    block = libc.malloc(4 << 20)   # never freed: a free would raise glibc's own threshold for what follows
    heap = next(line for line in open("/proc/self/maps") if line.rstrip().endswith("[heap]"))
    low, high = (int(x, 16) for x in heap.split()[0].split("-"))
    return low <= block < high
from thscp_kg.store.processes import YearProcesses
print("command", from_heap())
with YearProcesses(1, open_store=lambda: None, make_check=lambda: lambda backend, year: [from_heap()]) as workers:
    print("worker", workers.map(["a year"])[0][0])
"""


def test_a_worker_keeps_freed_memory_for_its_next_year():
    """Each year's snapshot read from the store was faulted in anew (glibc unmapped or trimmed the freed
    blocks): 1.6 ms of system time a year, decision 0034. A worker asks glibc to keep them: a 4 MB block,
    mapped on its own in the command, comes from the heap in a worker."""
    probe = subprocess.run([sys.executable, "-c", HEAP_PROBE], cwd=ROOT, env=_env(None),
                           capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    if probe.stdout.strip() == "not glibc":
        pytest.skip("the malloc settings are glibc's")
    assert probe.stdout.split() == ["command", "False", "worker", "True"], probe.stdout
