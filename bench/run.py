"""thscp-kg benchmark: cold CLI start, validation at 1k–1M triples, memory, growth, engines side by side.

    .venv/bin/python bench/run.py            # the full run (about 30-40 min on 2 cores)
    .venv/bin/python bench/run.py --quick    # 1k and 10k only, fewer repetitions (a few minutes)

What it measures (see bench/README.md for the results and how to read them):

1. Cold CLI: ``python -m thscp_kg check -q`` on the bundled THSCP 2023-24 file, every report
   format, each run a fresh process, paired with ``python -c "import rdflib, pyshacl"`` run just
   before it; median wall time of each and the median of the per-pair ratios.
2. Validation of synthetic partnership-years (bench/generate.py: our own YAML format, with
   injected gaps) at about 1k, 10k, 100k and 1M triples: the files are generated, loaded,
   built and materialised once (``thscp-kg load``) into an Oxigraph store per size; each run
   is then a fresh process that checks every stored partnership-year against every SHACL
   requirement (``check_stored``: fetch the graph, validate, turn results into findings), by
   each engine: ``reference`` (pySHACL), ``memoised`` (pySHACL with the SPARQL parse
   memoised) and ``fast`` (pyshacl-turbo). The engines take turns, one run each per round, so
   they share the machine's load; medians over n rounds; a run over the time limit is killed and
   recorded as DNF, and a run over 60 s is not repeated.
3. Peak memory: the worker's own ``ru_maxrss``.
4. Growth: log-log least-squares exponent of validation time over triples, from 10k to the
   largest size every run of the engine finished.
5. Findings: each run's findings are compared with the generator's manifest (the exact
   findings its injected gaps must give, and none elsewhere) and across engines (a digest of
   requirement, focus, severity, shape and value); any difference is printed and fails the run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PY = sys.executable
SIZES = {  # name: (partnerships, years); a partnership-year is about 2,100 triples
    "1k": (1, 1),
    "10k": (1, 5),
    "100k": (5, 10),
    "1m": (48, 10),
    "3.3m": (150, 10),  # the whole country; only when asked for (--sizes ...,3.3m)
}
DEFAULT_SIZES = ["1k", "10k", "100k", "1m"]
ENGINES = ["reference", "memoised", "fast", "shacl", "rudof"]
TARGET = "shacl"  # the engine the national-scale targets are judged on: check --store's default (decision 0017)


# -- the worker: one validation run in a fresh process ------------------------------------------------
def worker(engine: str, store_dir: str, manifest_path: str) -> None:
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from thscp_kg.rules.catalogue import load_catalogue
    from thscp_kg.store.graph_store import LocalStore, check_stored
    from thscp_kg.validate.shapes import shapes_graph

    catalogue = load_catalogue()
    shapes_graph()
    if engine == "fast":
        import pyshacl_turbo  # noqa: F401
    elif engine == "shacl":
        import shacl  # noqa: F401
    elif engine == "rudof":
        import pyrudof  # noqa: F401
    else:
        import pyshacl  # noqa: F401
    t1 = time.perf_counter()
    c1 = time.process_time()
    ids = [r.id for r in catalogue.active() if r.assessment == "shacl"]
    with LocalStore(store_dir, read_only=True) as backend:
        if engine == "rudof":
            checks = rudof_check(backend, ids, catalogue)
        else:
            checks = check_stored(backend, engine=engine, requirement_ids=ids, catalogue=catalogue)
    t2 = time.perf_counter()
    c2 = time.process_time()
    found = sorted((c.year.key, f.requirement, f.shape.removeprefix("scp-sh:"), f.focus)
                   for c in checks for f in c.findings)
    full = sorted((c.year.key, f.requirement, f.focus, f.severity.value, f.shape, f.value or "")
                  for c in checks for f in c.findings)
    want = manifest_findings(manifest_path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # the check's peak, before engine_only
    only, only_cpu = engine_only(engine, store_dir, ids, catalogue) if engine in ENGINE_ONLY else (None, None)
    print(json.dumps({
        "engine": engine, "years": len(checks), "imports_s": t1 - t0, "validate_s": t2 - t1, "cpu_s": c2 - c1,
        "engine_only_s": only, "engine_only_cpu_s": only_cpu,
        "findings": len(found), "expected": len(want), "matches_manifest": found == want,
        "unexpected": [list(x) for x in sorted(set(found) - set(want))][:5],
        "missing": [list(x) for x in sorted(set(want) - set(found))][:5],
        "digest": hashlib.sha256(json.dumps(full).encode()).hexdigest()[:16],
        "maxrss_mb": rss,
    }))


def manifest_findings(manifest_path: str) -> list[tuple]:
    """(partnership-year, requirement, shape, focus) of every finding the generator's gaps must give."""
    manifest = json.loads(Path(manifest_path).read_text())
    return sorted((f["file"].removesuffix(".yaml"), e["requirement"], e["shape"], e["focus"])
                  for f in manifest["files"] for e in f["expected"])


ENGINE_ONLY = ("fast", "shacl")  # the engines that can be the fastest (pySHACL is 17-45x slower; rudof 5-11x)


def engine_only(engine: str, store_dir: str, ids: list[str], catalogue) -> tuple[float, float]:
    """The engine's own time on the same graphs: every year's N-Triples read first (not timed), then only
    the engine calls, on as many threads as check --store gives it. The yardstick for "end to end within
    2x of the fastest engine's validation time alone" (issue 16). Wall and CPU seconds (every text is
    held in memory meanwhile: the worker's peak RSS is taken before)."""
    import concurrent.futures as cf

    from thscp_kg.namespaces import SCP_SH
    from thscp_kg.store.graph_store import LocalStore, _default_workers, stored_years
    from thscp_kg.validate.engines import NTriples, run_engine
    from thscp_kg.validate.shapes import shapes_graph

    shapes = shapes_graph()
    iris = [SCP_SH[s] for r in catalogue.active() if r.id in ids for s in r.shapes]
    with LocalStore(store_dir, read_only=True) as backend:
        texts = [backend.year_ntriples(y) for y in stored_years(backend)]
        workers = _default_workers(backend, engine, len(texts))
    if engine == "shacl":
        from thscp_kg.validate import shacl_engine

        shacl_engine.compiled(shapes)
        call = lambda text: shacl_engine.validate(text, shapes, iris)  # noqa: E731  the raw results
    else:
        call = lambda text: run_engine(engine, NTriples(text), shapes, iris)  # noqa: E731  its report graph
    t, c = time.perf_counter(), time.process_time()
    with cf.ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(call, texts))
    return time.perf_counter() - t, time.process_time() - c


def rudof_check(backend, ids: list[str], catalogue) -> list:
    """rudof (pyrudof 0.3.35, the test suite's independent cross-check engine) on the same graphs, the
    same way: one year at a time, results turned into the report fields our findings read. Bench only:
    it is not an engine of the product (tests/test_crosscheck.py uses it on fixtures)."""
    import pyrudof
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH

    from thscp_kg.namespaces import SCP_SH
    from thscp_kg.store.graph_store import YearCheck, findings_for, stored_years
    from thscp_kg.validate.shapes import shapes_graph

    shapes = shapes_graph()
    shape_iris = {str(SCP_SH[s]) for r in catalogue.active() if r.id in ids for s in r.shapes}
    shapes_ttl = shapes.serialize(format="turtle")
    severity = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}

    def node(text: str):  # rudof prints IRIs bare and literals with prefixed datatypes
        if text.startswith('"'):
            from rdflib.util import from_n3
            return from_n3(text, nsm=shapes.namespace_manager)
        return BNode(text[2:]) if text.startswith("_:") else URIRef(text)

    out = []
    for year in stored_years(backend):
        text = backend.year_ntriples(year)
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())  # a fresh session per graph, as tests/test_crosscheck.py
        rudof.read_data(text, format=pyrudof.RDFFormat.NTriples)
        rudof.read_shacl(shapes_ttl)
        rows = [e for e in rudof.validate_shacl() if str(e.source_shape) in shape_iris]
        if not rows:
            out.append(YearCheck(year, []))
            continue
        g, report = Graph(), BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(False)))
        for e in rows:
            res = BNode()
            g.add((res, RDF.type, SH.ValidationResult))
            g.add((res, SH.focusNode, node(str(e.focus_node))))
            g.add((res, SH.sourceShape, URIRef(str(e.source_shape))))
            g.add((res, SH.sourceConstraintComponent, URIRef(str(e.constraint_component))))
            g.add((res, SH.resultSeverity, severity[str(e.severity).rsplit("#", 1)[-1]]))
            if e.value is not None:
                g.add((res, SH.value, node(str(e.value))))
            if e.path is not None:
                g.add((res, SH.resultPath, URIRef(str(e.path))))
        out.append(YearCheck(year, findings_for(backend.view(year.graph, text), None, shapes, None, [], catalogue,
                                                "rudof", results=g)))
    return out


# -- preparing the data ---------------------------------------------------------------------------------
def source_key() -> str:
    """What the prepared stores depend on: the generator, the code that builds graphs, the profile."""
    h = hashlib.sha256()
    names = ["loader", "model", "model_values", "plain", "build*", "materialise*", "profile", "yamlsafe", "workdays",
             "namespaces"]
    files = sorted({BENCH / "generate.py", *(f for n in names for f in ROOT.glob(f"thscp_kg/{n}.py")),
                    *ROOT.glob("thscp_kg/load/*.py"), *ROOT.glob("thscp_kg/build/*.py"),
                    *ROOT.glob("thscp_kg/materialise/*.py"), *ROOT.glob("thscp_kg/rules/profile*.py"),
                    ROOT / "thscp_kg" / "rules" / "reads.py",   # the profile's methods (decision 0036)
                    *ROOT.glob("catalogue/profiles/*.yaml"), ROOT / "catalogue" / "national-bodies.yaml"})
    for f in files:
        h.update(f.relative_to(ROOT).as_posix().encode())
        h.update(f.read_bytes())
    # The store's layout (e.g. its N-Triples snapshots) is part of the data: the backends, writing and
    # reading halves of graph_store.py. Its checking half is not, so changing how a store is checked does
    # not rebuild a 3.3M store (~15 min); layout code must stay above this marker.
    store = (ROOT / "thscp_kg" / "store" / "graph_store.py").read_text(encoding="utf-8")
    marker = "\n# -- checking --"
    if marker not in store:
        raise SystemExit(f"bench/run.py: graph_store.py has lost its {marker.strip()!r} line; update source_key")
    h.update(store.split(marker, 1)[0].encode())
    return h.hexdigest()[:16]


def prepare(work: Path, size: str, log) -> dict:
    """Generate the size's files and load them into its store (cached in ``work`` by source key)."""
    partnerships, years = SIZES[size]
    folder = work / size
    key = source_key()
    info_path = folder / "info.json"
    if info_path.exists():
        info = json.loads(info_path.read_text())
        if info.get("key") == key:
            return info
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(ROOT))
    import generate

    log(f"  preparing {size}: generating {partnerships} x {years} partnership-years ...")
    t = time.perf_counter()
    manifest = generate.write(folder / "data", partnerships, years)
    cmd = [PY, "-m", "thscp_kg", "load", str(folder / "data"), "--store", str(folder / "store"), "-q",
           "--jobs", str(os.cpu_count() or 1)]
    subprocess.run(cmd, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    triples = count_triples(folder / "store")
    info = {"key": key, "size": size, "partnerships": partnerships, "years": years,
            "files": len(manifest["files"]), "triples": triples, "injected_gaps": manifest["injected_gaps"],
            "expected_findings": manifest["expected_findings"], "prepare_s": round(time.perf_counter() - t, 1)}
    info_path.write_text(json.dumps(info, indent=1))
    log(f"  prepared {size}: {triples:,} triples in {info['files']} partnership-years, "
        f"{info['injected_gaps']} injected gaps ({info['prepare_s']} s)")
    return info


def count_triples(store_dir: Path) -> int:
    code = ("import sys; sys.path.insert(0, %r); from thscp_kg.store.graph_store import LocalStore, stored_years\n"
            "with LocalStore(%r, read_only=True) as b: print(sum(y.triples for y in stored_years(b)))"
            % (str(ROOT), str(store_dir)))
    return int(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout)


# -- running --------------------------------------------------------------------------------------------
def run_child(cmd: list[str], timeout: float, cwd: Path = ROOT, env: dict | None = None) -> dict:
    """Run one fresh process; wall time, its own peak RSS (wait4), exit code; DNF past ``timeout``.

    The child's output goes to temporary files, not pipes: nothing reads a pipe while we wait in
    ``wait4``, so a child writing more than the pipe buffer (64 KB; ``schema`` writes 78 KB) would
    block on its write until the timeout and be reported as a failure (issue 16)."""
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out_f, stderr=err_f, stdin=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONPATH": str(ROOT), "CI": "1", **(env or {})})
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)  # a blocking wait4: the wall time is not rounded to a poll
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        if killed.is_set():
            proc.returncode = -9  # reaped here: stop Popen from waiting for it again
            return {"dnf": True, "wall_s": timeout}
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0)
        err_f.seek(0)
        out = out_f.read().decode("utf-8", "replace")
        err = err_f.read().decode("utf-8", "replace")
    return {"dnf": False, "wall_s": wall, "rc": proc.returncode, "cpu_s": usage.ru_utime + usage.ru_stime,
            "maxrss_mb": usage.ru_maxrss / 1024.0, "stdout": out, "stderr": err}


COLD_COMMANDS = {  # name: the arguments after `python -m thscp_kg` (the data file is the bundled THSCP 2023-24)
    "fast": ["check", "-q", "--format", "md,json,html,sarif,junit,txt,ttl"],
    "default": ["check", "-q"],
    "json": ["check", "-q", "--format", "json"],
    "bad": ["check", "{bad}"],
    "rules": ["rules"],
    "explain": ["explain", "WT23-LSP-03"],
    "schema": ["schema"],
    "help": ["--help"],
    "reference": ["check", "-q", "--format", "md,json,html,sarif,junit,txt,ttl", "--engine", "reference"],
    # The same as "json" and "default" with an empty compiled cache (a first run, or CI without a kept cache):
    # every parse step the cache keeps (ontology, shapes, catalogue, data model, template) is done.
    "json-empty-cache": ["check", "-q", "--format", "json"],
    "default-empty-cache": ["check", "-q"],
}
EMPTY_CACHE = ("json-empty-cache", "default-empty-cache")


def cold_cli(reps: int, log) -> dict:
    """Paired runs: the import floor, then each command of COLD_COMMANDS, every one a fresh process.

    The package's bytecode is compiled first, as installing a wheel does: with
    PYTHONDONTWRITEBYTECODE set (as on the 2-core machine) an editable checkout would otherwise
    compile every thscp_kg module from source in every run (~0.15 s), while the floor's rdflib and
    pyshacl load the bytecode pip compiled; both sides then load bytecode."""
    import compileall

    compileall.compile_dir(str(ROOT / "thscp_kg"), quiet=1)
    out_dir = Path(tempfile.mkdtemp(prefix="thscp-bench-"))
    bad = out_dir / "2023-24.yaml"
    bad.write_text("partnership: [unclosed\n", encoding="utf-8")  # a YAML error: exit 2 with one line
    floor = [PY, "-c", "import rdflib, pyshacl"]
    rows: dict[str, list] = {"floor": [], **{name: [] for name in COLD_COMMANDS}}
    for i in range(reps):
        f = run_child(floor, 120)
        rows["floor"].append(f)
        took = [f"import {f['wall_s']:.3f} s"]
        for name, args in COLD_COMMANDS.items():
            args = [a.replace("{bad}", str(bad)) for a in args]
            if args[0] == "check" and name != "bad":
                args = args + ["--output-dir", str(out_dir / name)]
            env = {"THSCP_KG_CACHE_DIR": tempfile.mkdtemp(dir=out_dir, prefix="cache-")} if name in EMPTY_CACHE else None
            r = run_child([PY, "-m", "thscp_kg", *args], 120, env=env)
            want = (2,) if name == "bad" else (0, 1)
            if r["dnf"]:
                raise SystemExit(f"cold run failed ({name}): still running after 120 s, killed")
            if r.get("rc") not in want:
                raise SystemExit(f"cold run failed ({name}): exit {r.get('rc')}: {r.get('stderr', '')[-500:]}")
            rows[name].append(r)
            took.append(f"{name} {r['wall_s']:.3f} s")
        log(f"  cold round {i + 1}/{reps} (load average {_load(os.getloadavg())}): " + ", ".join(took))
    shutil.rmtree(out_dir, ignore_errors=True)
    med = {k: statistics.median(r["wall_s"] for r in v) for k, v in rows.items()}
    rss = {k: statistics.median(r["maxrss_mb"] for r in v) for k, v in rows.items()}
    ratio = {k: statistics.median(a["wall_s"] / f["wall_s"] for a, f in zip(rows[k], rows["floor"]))
             for k in COLD_COMMANDS}
    return {"n": reps, "median_s": med, "maxrss_mb": rss, "ratio_to_import": ratio}


def validation(sizes: list[str], engines: list[str], reps: dict, timeout: float, work: Path, log,
               before: Path | None = None) -> dict:
    """Per size: n rounds, each running every engine once in turn, then the end-to-end command (so each
    sees the same machine load); an engine that is DNF, or takes over 60 s, is not run again at that
    size. ``before``: an older checkout whose end-to-end command runs just before this one's in each round."""
    results: dict = {}
    for size in sizes:
        info = prepare(work, size, log)
        results[size] = {"info": info, "engines": {}}
        runs: dict[str, list] = {e: [] for e in [*engines, "end_to_end", "end_to_end_before"]}
        done: set[str] = set()
        for i in range(reps[size]):
            for engine in engines:
                if engine in done:
                    continue
                r = run_child([PY, str(BENCH / "run.py"), "worker", engine, str(work / size / "store"),
                               str(work / size / "data" / "manifest.json")], timeout)
                if r["dnf"]:
                    log(f"  {size} {engine}: DNF (> {timeout:.0f} s)")
                    runs[engine].append({"dnf": True})
                    done.add(engine)
                    continue
                if r["rc"] != 0:
                    raise SystemExit(f"worker failed ({size} {engine}): {r['stderr'][-2000:]}")
                row = json.loads(r["stdout"].strip().splitlines()[-1])
                row["wall_s"] = r["wall_s"]
                runs[engine].append(row)
                log(f"  {size} {engine} run {i + 1}/{reps[size]}: validate {row['validate_s']:.2f} s "
                    f"({row['cpu_s']:.2f} s CPU), "
                    f"{row['maxrss_mb']:.0f} MB, {row['findings']} findings "
                    f"({'= manifest' if row['matches_manifest'] else 'MISMATCH'})")
                if row["validate_s"] > 60:
                    done.add(engine)  # runs over 60 s are done once
            if before is not None and "end_to_end_before" not in done:
                r = end_to_end(work / size, timeout, before)
                runs["end_to_end_before"].append(r)
                log(f"  {size} end to end, before (an older checkout): "
                    + ("DNF" if r["dnf"] else f"{r['wall_s']:.2f} s ({r['cpu_s']:.2f} s CPU), {r['findings']} findings "
                       f"({'= manifest' if r['matches_manifest'] else 'MISMATCH'})"))
                if r["dnf"] or r["wall_s"] > 60:
                    done.add("end_to_end_before")
            if "end_to_end" not in done:
                r = end_to_end(work / size, timeout)
                runs["end_to_end"].append(r)
                if r["dnf"]:
                    log(f"  {size} end to end: DNF (> {timeout:.0f} s)")
                    done.add("end_to_end")
                else:
                    log(f"  {size} end to end run {i + 1}/{reps[size]}: {r['wall_s']:.2f} s ({r['cpu_s']:.2f} s CPU), "
                        f"{r['maxrss_mb']:.0f} MB, {r['findings']} findings "
                        f"({'= manifest' if r['matches_manifest'] else 'MISMATCH'})")
                    if r["wall_s"] > 60:
                        done.add("end_to_end")
        for engine in engines:
            results[size]["engines"][engine] = summarise(runs[engine])
        results[size]["end_to_end"] = summarise(runs["end_to_end"])
        if before is not None:
            results[size]["end_to_end_before"] = summarise(runs["end_to_end_before"])
    return results


E2E_COMMAND = ["check", "-q", "--store", "{store}", "--output-dir", "{out}"]  # after `python -m thscp_kg`


def end_to_end(folder: Path, timeout: float, checkout: Path | None = None) -> dict:
    """What a user waits for: ``thscp-kg check --store DIR`` in a fresh process, from its start (imports
    included) to the written store-check.json; wall and CPU time (wait4) and peak RSS. Its findings
    (every requirement: SHACL and graph checks) must be exactly the manifest's. ``checkout``: run an
    older checkout's code instead (``git archive COMMIT | tar -x -C OLD``) on the same store."""
    with tempfile.TemporaryDirectory(prefix="thscp-e2e-") as out:
        args = [a.replace("{store}", str(folder / "store")).replace("{out}", out) for a in E2E_COMMAND]
        where = {"cwd": checkout, "env": {"PYTHONPATH": str(checkout)}} if checkout is not None else {}
        r = run_child([PY, "-m", "thscp_kg", *args], timeout, **where)
        if r["dnf"]:
            return r
        if r["rc"] not in (0, 1):
            raise SystemExit(f"end-to-end run failed: exit {r['rc']}: {r['stderr'][-2000:]}")
        report = json.loads((Path(out) / "store-check.json").read_text())
    found = sorted((f"{y['partnership']}/{y['period']}", f["requirement"], f["shape"].removeprefix("scp-sh:"),
                    f["focus"]) for y in report["years"] for f in y["findings"])
    want = manifest_findings(str(folder / "data" / "manifest.json"))
    full = sorted((f"{y['partnership']}/{y['period']}", f["requirement"], f["focus"], f["severity"], f["shape"],
                   f.get("value") or "") for y in report["years"] for f in y["findings"])
    return {"dnf": False, "wall_s": r["wall_s"], "validate_s": r["wall_s"], "cpu_s": r["cpu_s"],
            "maxrss_mb": r["maxrss_mb"], "findings": len(found), "expected": len(want),
            "matches_manifest": found == want, "unexpected": [list(x) for x in sorted(set(found) - set(want))][:5],
            "missing": [list(x) for x in sorted(set(want) - set(found))][:5],
            "digest": hashlib.sha256(json.dumps(full).encode()).hexdigest()[:16]}


def summarise(runs: list[dict]) -> dict:
    done = [r for r in runs if not r.get("dnf")]
    if not done or len(done) < len(runs):
        return {"dnf": True, "n": len(runs)}
    return {"dnf": False, "n": len(done),
            "validate_s": statistics.median(r["validate_s"] for r in done),
            "cpu_s": statistics.median(r.get("cpu_s", float("nan")) for r in done),
            "min_s": min(r["validate_s"] for r in done), "max_s": max(r["validate_s"] for r in done),
            "maxrss_mb": statistics.median(r["maxrss_mb"] for r in done),
            "findings": done[0]["findings"], "expected": done[0]["expected"],
            "matches_manifest": all(r["matches_manifest"] for r in done),
            "digests": sorted({r["digest"] for r in done}),
            "engine_only_s": statistics.median(r["engine_only_s"] for r in done)
            if all(r.get("engine_only_s") is not None for r in done) else None,
            "engine_only_cpu_s": statistics.median(r["engine_only_cpu_s"] for r in done)
            if all(r.get("engine_only_cpu_s") is not None for r in done) else None,
            "unexpected": done[0]["unexpected"], "missing": done[0]["missing"]}


def exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) over log(triples)."""
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


# -- the table ------------------------------------------------------------------------------------------
def table(cold: dict | None, val: dict, engines: list[str], timeout: float) -> str:
    lines = []
    if cold:
        m, r = cold["median_s"], cold["ratio_to_import"]
        lines += [f"Cold CLI, THSCP 2023-24 (n={cold['n']} paired runs, medians)", "",
                  "| command | wall s | peak MB | ratio to `import rdflib, pyshacl` |", "|---|---|---|---|",
                  f"| `python -c \"import rdflib, pyshacl\"` | {m['floor']:.3f} | {cold['maxrss_mb']['floor']:.0f} | 1 |"]
        for name, args in COLD_COMMANDS.items():
            if name not in m:
                continue
            shown = " ".join("BAD.yaml" if a == "{bad}" else a for a in args)
            if name in EMPTY_CACHE:
                shown += " (empty compiled cache)"
            lines.append(f"| `python -m thscp_kg {shown}` | {m[name]:.3f} | {cold['maxrss_mb'][name]:.0f} | "
                         f"{r[name]:.2f}× |")
        lines.append("")
    if not val:
        return "\n".join(lines) + "\n"
    lines += ["Validation of every stored partnership-year against every SHACL requirement "
              "(wall s median (CPU s of the process, both cores added) / peak MB / findings; n = runs, each a "
              "fresh process)", "",
              "| size | triples | p-years | " + " | ".join(engines) + " | "
              + " | ".join(f"{e} ÷ {TARGET}" for e in engines if e != TARGET) + " |",
              "|---|---|---|" + "---|" * len(engines) + "---|" * (len(engines) - (TARGET in engines))]
    for size, block in val.items():
        info, res = block["info"], block["engines"]
        cells = []
        for e in engines:
            s = res.get(e)
            if s is None:
                cells.append("–")
            elif s["dnf"]:
                cells.append(f"DNF (> {timeout:.0f} s)")
            else:
                ok = "✓" if s["matches_manifest"] else "✗"
                cells.append(f"{s['validate_s']:.3g} ({s.get('cpu_s', float('nan')):.3g} CPU) / {s['maxrss_mb']:.0f} / "
                             f"{s['findings']} {ok} (n={s['n']})")

        def ratio(a: str) -> str:
            x, f = res.get(a), res.get(TARGET)
            if not x or not f or f["dnf"]:
                return "–"
            if x["dnf"]:
                return f"> {timeout / f['validate_s']:.0f}×"
            return f"{x['validate_s'] / f['validate_s']:.1f}×"

        lines.append(f"| {size} | {info['triples']:,} | {info['files']} | " + " | ".join(cells)
                     + " | " + " | ".join(ratio(e) for e in engines if e != TARGET) + " |")
    lines += ["", "✓: the findings equal the generator's manifest (every injected gap found, nothing else).", "",
              "Growth exponent b (time ∝ triples^b, log-log fit of the medians from 10k to the largest size "
              "every run finished):", ""]
    for e in engines:
        pts = [(b["info"]["triples"], b["engines"][e]["validate_s"]) for s, b in val.items()
               if s != "1k" and e in b["engines"] and not b["engines"][e]["dnf"]]
        b_ = exponent(pts)
        names = [s for s, blk in val.items() if s != "1k" and e in blk["engines"] and not blk["engines"][e]["dnf"]]
        span = f"10k→{names[-1]}" if names else ""
        tail = exponent(pts[-2:]) if len(pts) >= 3 else None
        lines.append(f"- {e}: " + (f"b = {b_:.2f} ({span}, {len(pts)} sizes)" if b_ is not None else "not enough sizes")
                     + (f"; b = {tail:.2f} over the last step ({names[-2]}→{names[-1]})" if tail is not None else ""))
    lines.append("")
    lines += end_to_end_table(val, timeout)
    same = all(len({tuple(sorted(b['engines'][e].get('digests', []))) for e in engines
                    if e in b['engines'] and not b['engines'][e]['dnf']}) <= 1 for b in val.values())
    lines.append("Engines agree on every finding (requirement, focus, severity, shape, value) at every size "
                 f"they finished: {'yes' if same else 'NO'}.")
    return "\n".join(lines) + "\n"


def fastest_alone(block: dict) -> tuple[str, float] | None:
    """The fastest engine's validation time alone (engine calls only) at one size, and its name."""
    times = [(r["engine_only_s"], e) for e, r in block["engines"].items() if not r["dnf"] and r.get("engine_only_s")]
    return (min(times)[1], min(times)[0]) if times else None


def end_to_end_table(val: dict, timeout: float) -> list[str]:
    rows = [(size, b) for size, b in val.items() if b.get("end_to_end")]
    if not rows:
        return []
    lines = ["End to end: `python -m thscp_kg " + " ".join(E2E_COMMAND).replace("{store}", "DIR").replace(
                 "{out}", "OUT") + "`, a fresh process from its start (imports included) to the written "
             "store-check.json, every requirement (SHACL and graph checks); its findings against the manifest. "
             "The fastest engine alone: only its calls, on the same graphs read beforehand, on the threads "
             "check --store gives it.", "",
             "| size | triples | p-years | end to end: wall s (CPU s) / peak MB / findings | "
             f"{TARGET} worker (validation from the store, imports excluded) | fastest engine alone | "
             "end to end ÷ fastest alone | before (OLD): wall s (CPU s) | before ÷ now |",
             "|---|---|---|---|---|---|---|---|---|"]
    for size, b in rows:
        e, info = b["end_to_end"], b["info"]
        w = b["engines"].get(TARGET)
        fast = fastest_alone(b)
        cell = (f"DNF (> {timeout:.0f} s)" if e["dnf"] else
                f"{e['validate_s']:.3g} ({e['cpu_s']:.3g} CPU) / {e['maxrss_mb']:.0f} / {e['findings']} "
                f"{'✓' if e['matches_manifest'] else '✗'} (n={e['n']})")
        worker_cell = f"{w['validate_s']:.3g} s" if w and not w["dnf"] else "–"
        fast_cell = f"{fast[1]:.3g} s ({fast[0]})" if fast else "–"
        ratio = f"{e['validate_s'] / fast[1]:.2f}×" if fast and not e["dnf"] else "–"
        cpu = b["engines"].get(fast[0], {}).get("engine_only_cpu_s") if fast else None
        if cpu and not e["dnf"]:
            ratio += f" (CPU {e['cpu_s'] / cpu:.2f}×: {cpu:.3g} s alone)"
        old = b.get("end_to_end_before")
        old_cell = ("–" if not old else f"DNF (> {timeout:.0f} s)" if old["dnf"] else
                    f"{old['validate_s']:.3g} ({old['cpu_s']:.3g} CPU) {'✓' if old['matches_manifest'] else '✗'}")
        speedup = f"{old['validate_s'] / e['validate_s']:.2f}×" if old and not old["dnf"] and not e["dnf"] else "–"
        lines.append(f"| {size} | {info['triples']:,} | {info['files']} | {cell} | {worker_cell} | {fast_cell} | {ratio} "
                     f"| {old_cell} | {speedup} |")
    return lines + [""]


def targets(cold: dict | None, val: dict) -> str:
    """Every target of issue 16 with what this run measured, ✓ or ✗ (– when this run did not measure it)."""
    rows = []

    def row(target: str, value: float | None, limit: float, shown: str) -> None:
        mark = "–" if value is None else ("✓" if value <= limit else "✗")
        rows.append(f"| {target} | {shown if value is not None else 'not measured in this run'} | {mark} |")

    r = (cold or {}).get("ratio_to_import", {})
    m = (cold or {}).get("median_s", {})
    row("cold `check`, default outputs ≤ 2× the import floor", r.get("default"), 2.0, f"{r.get('default', 0):.2f}×")
    row("cold `check --format json` ≤ 1.5× the import floor", r.get("json"), 1.5, f"{r.get('json', 0):.2f}×")
    row("bad input: its exit-2 line in ≤ 0.3 s", m.get("bad"), 0.3, f"{m.get('bad', 0):.3f} s")
    row("bad input ≤ 0.5× the import floor", r.get("bad"), 0.5, f"{r.get('bad', 0):.2f}×")
    for name in ("rules", "explain", "schema", "help"):
        row(f"`{name}` ≤ 0.5× the import floor", r.get(name), 0.5, f"{r.get(name, 0):.2f}×")
    fast = {s: b["engines"].get(TARGET) for s, b in val.items()}
    for size, name, limit in (("1m", "1M triples (480 partnership-years)", 5.0),
                              ("3.3m", "1,500 partnership-years (~3.3M triples)", 15.0)):
        block = val.get(size, {})
        e = block.get("end_to_end")
        ok_e = e is not None and not e["dnf"]
        row(f"{name} end to end ≤ {limit:g} s (`check --store`, imports included)", e["validate_s"] if ok_e else None,
            limit, f"{e['validate_s']:.2f} s ({e['cpu_s']:.2f} s CPU)" if ok_e else "")
        alone = fastest_alone(block) if block else None
        alone_cpu = block["engines"].get(alone[0], {}).get("engine_only_cpu_s") if alone else None
        cpu_note = f"; CPU {e['cpu_s'] / alone_cpu:.2f}× ({alone_cpu:.2f} s alone)" if ok_e and alone_cpu else ""
        row(f"{name} end to end ≤ 2× the fastest engine's validation alone",
            e["validate_s"] / alone[1] if ok_e and alone else None, 2.0,
            f"{e['validate_s'] / alone[1]:.2f}× ({alone[0]} alone {alone[1]:.2f} s){cpu_note}" if ok_e and alone else "")
        w = fast.get(size)
        ok_w = w is not None and not w["dnf"]
        row(f"{name}: validation from the store ≤ {limit:g} s ({TARGET} worker, imports excluded)",
            w["validate_s"] if ok_w else None, limit,
            f"{w['validate_s']:.2f} s ({w.get('cpu_s', float('nan')):.2f} s CPU)" if ok_w else "")
        peak = max([x["maxrss_mb"] for x in (e, w) if x is not None and not x["dnf"]], default=None)
        row(f"{name} ≤ 1 GiB (peak of either process)", peak, 1024.0, f"{peak:.0f} MB" if peak else "")
    e2e = [(b["info"]["triples"], b["end_to_end"]["validate_s"]) for s, b in val.items()
           if s != "1k" and b.get("end_to_end") and not b["end_to_end"]["dnf"]]
    b_e2e = exponent(e2e)
    row("growth exponent of the end-to-end time ≤ 1.05 (10k → largest size run)",
        b_e2e if len(e2e) >= 3 else None, 1.05, f"{b_e2e:.2f}" if b_e2e is not None else "")
    pts = [(b["info"]["triples"], f["validate_s"]) for s, b in val.items() for f in [b["engines"].get(TARGET)]
           if s != "1k" and f and not f["dnf"]]
    b_ = exponent(pts)
    cpu = [(b["info"]["triples"], f["cpu_s"]) for s, b in val.items() for f in [b["engines"].get(TARGET)]
           if s != "1k" and f and not f["dnf"] and f.get("cpu_s") == f.get("cpu_s") and "cpu_s" in f]
    b_cpu = exponent(cpu)
    row(f"growth exponent of CPU time ≤ 1.05 ({TARGET}, 10k → largest size run; "
        "less sensitive to the machine's load)", b_cpu if len(cpu) >= 3 else None, 1.05,
        f"{b_cpu:.2f}" if b_cpu is not None else "")
    row(f"growth exponent ≤ 1.05 ({TARGET} engine, 10k → largest size run)", b_ if len(pts) >= 3 else None, 1.05,
        f"{b_:.2f}" if b_ is not None else "")
    return "\n".join(["Targets (issue 16), from this run", "", "| target | measured | |", "|---|---|---|", *rows]) + "\n"


def _load(avg: tuple[float, float, float]) -> str:
    return "/".join(f"{x:.2f}" for x in avg)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        worker(*argv[1:4])
        return 0
    ap = argparse.ArgumentParser(description="thscp-kg benchmark (see bench/README.md)")
    ap.add_argument("--quick", action="store_true", help="1k and 10k only, n=3 (cold n=3)")
    ap.add_argument("--sizes", help="comma-separated, from " + ",".join(SIZES) + "; none: the cold CLI only")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--reps", type=int, help="runs per size and engine (default 5; 3 at 100k, 1M)")
    ap.add_argument("--cold-reps", type=int, help="paired cold CLI runs (default 10; --quick 3)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold CLI comparison")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a run is DNF (default 600)")
    ap.add_argument("--work", type=Path, default=BENCH / ".cache",
                    help="where generated data and stores are kept between runs (default bench/.cache)")
    ap.add_argument("--json", type=Path, help="also write the raw results as JSON")
    ap.add_argument("--before", type=Path, metavar="OLD",
                    help="an older checkout (git archive COMMIT | tar -x -C OLD): its end-to-end check --store runs "
                         "just before this one's in every round, on the same stores")
    ap.add_argument("--render", type=Path, metavar="JSON",
                    help="print the table again from a --json file of an earlier run (no new measurement)")
    args = ap.parse_args(argv)
    if args.render:
        saved = json.loads(args.render.read_text())
        used = [e for e in ENGINES if any(e in b["engines"] for b in saved["validation"].values())]
        print(saved["header"] + "\n\n" + table(saved["cold"], saved["validation"], used, args.timeout)
              + "\n" + targets(saved["cold"], saved["validation"]))
        return 0
    sizes = [] if args.sizes == "none" else args.sizes.split(",") if args.sizes else (["1k", "10k"] if args.quick else DEFAULT_SIZES)
    engines = args.engines.split(",")
    reps = {s: args.reps or (3 if args.quick else (5 if s in ("1k", "10k") else 3)) for s in sizes}

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    started = dt.datetime.now(dt.timezone.utc)
    load_start = os.getloadavg()
    log(f"thscp-kg bench: sizes {', '.join(sizes)}; engines {', '.join(engines)}; work {args.work}")
    cold = None if args.no_cold else cold_cli(args.cold_reps or (3 if args.quick else 10), log)
    # Both sides load bytecode, as an installed package does (see cold_cli): with PYTHONDONTWRITEBYTECODE
    # set, a --no-cold run of a fresh checkout would otherwise compile every module in every run (and in
    # each worker of check --store, for the modules it imports after the fork).
    import compileall
    if args.before is not None:
        compileall.compile_dir(str(args.before / "thscp_kg"), quiet=1)
    compileall.compile_dir(str(ROOT / "thscp_kg"), quiet=1)
    val = validation(sizes, engines, reps, args.timeout, args.work, log, args.before)
    versions = subprocess.run([PY, "-c", "import importlib.metadata as m; print(', '.join(f'{p} '+m.version(p) "
                               "for p in ('rdflib','pyshacl','pyshacl-turbo','pyoxigraph')))"],
                              capture_output=True, text=True).stdout.strip()
    header = (f"Run {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"{versions}; command: `.venv/bin/python bench/run.py {' '.join(argv)}`".rstrip()
              + f"; load average (1, 5, 15 min) at the start {_load(load_start)}, at the end {_load(os.getloadavg())}")
    text = header + "\n\n" + table(cold, val, engines, args.timeout) + "\n" + targets(cold, val)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"header": header, "cold": cold, "validation": val}, indent=1))
    bad = [s for s, b in val.items() for e, r in [*b["engines"].items(), ("end_to_end", b.get("end_to_end"))]
           if r and not r["dnf"] and not r["matches_manifest"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
