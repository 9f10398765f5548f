"""The engine for a cold `check FILE`: pyshacl-turbo against `shacl`, in fresh processes, in turns (issue 16).

    .venv/bin/python bench/cold_engines.py 8

Each round runs, for each engine in turn, a fresh process that builds THSCP 2023-24 and its 2022-23
baseline (not timed), then times in process CPU seconds what `check --format json` spends on the
engine: its import, compiling the shapes, validating both years and turning the results into
findings. It prints the medians and the load average at the start and the end; the findings of the
two engines are compared in every round (exit 1 if they differ). rudof is not an engine of `check`
(bench/run.py's engine table measures it on the store).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, sys, time
from pathlib import Path
from thscp_kg.load.loader import load_partnership_year
from thscp_kg.namespaces import SCP_SH
from thscp_kg.pipeline import as_of_for, build_materialised
from thscp_kg.rules.catalogue import load_catalogue
from thscp_kg.rules.profile import load_profile
from thscp_kg.validate.engines import run_engine
from thscp_kg.validate.results import findings_from_results
from thscp_kg.validate.shapes import shapes_graph

catalogue, shapes = load_catalogue(), shapes_graph()
years = []
for period in ("2023-24", "2022-23"):
    loaded = load_partnership_year(Path(f"data/tower-hamlets/{period}.yaml"))
    years.append((loaded, build_materialised(loaded, load_profile(None), as_of_for(loaded, None))))
iris = [SCP_SH[s] for r in catalogue.active() if r.assessment == "shacl" for s in r.shapes]
engine = sys.argv[1]
start = time.process_time()
__import__("pyshacl_turbo" if engine == "fast" else "shacl")
found = []
for loaded, graph in years:
    results = run_engine(engine, graph, shapes, iris)
    found += [f.to_json() for f in findings_from_results(results, graph, shapes, catalogue, loaded)]
print(json.dumps({"cpu": time.process_time() - start, "findings": found}, sort_keys=True))
"""


def main() -> int:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1"}
    start = os.getloadavg()
    cpu: dict[str, list[float]] = {"fast": [], "shacl": []}
    same = True
    for i in range(reps):
        found = {}
        for engine in ("fast", "shacl") if i % 2 == 0 else ("shacl", "fast"):
            out = subprocess.run([sys.executable, "-c", CHILD, engine], cwd=ROOT, env=env, capture_output=True,
                                 text=True, check=True).stdout
            result = json.loads(out)
            cpu[engine].append(result["cpu"])
            found[engine] = result["findings"]
        same = same and found["fast"] == found["shacl"]
    end = os.getloadavg()
    print(f"load average at the start {start[0]:.2f}, at the end {end[0]:.2f}; n={reps}; "
          f"findings {'identical' if same else 'DIFFER'} in every round")
    for engine, values in cpu.items():
        print(f"{engine}: median {statistics.median(values) * 1000:.0f} ms CPU "
              f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
