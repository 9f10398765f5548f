"""Does an engine call let other Python threads run? (issue 16; docs/decisions/0024)

    .venv/bin/python bench/gil_probe.py [STORE] [YEARS]   # default: bench/.cache/1m/store, 60 years

A thread that only loops and reads the clock runs beside the `shacl` engine's calls on the store's
first YEARS graphs, then beside a sleep of the same length. A call that holds the GIL stops the loop
for as long as it runs, so the loop's pauses over 4 ms add up to most of the engine's time; beside the
sleep they add up to about nothing. Threads only use both cores for what runs without the GIL.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pauses(work) -> tuple[float, float]:
    """The loop thread's longest pause and the sum of its pauses over 4 ms while ``work`` runs (s)."""
    gaps: list[float] = []
    stop = threading.Event()

    def loop() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    thread = threading.Thread(target=loop)
    thread.start()
    time.sleep(0.05)
    work()
    stop.set()
    thread.join()
    return max(gaps), sum(g for g in gaps if g > 0.004)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from thscp_kg.store.graph_store import LocalStore, stored_years
    from thscp_kg.validate import shacl_engine
    from thscp_kg.validate.shapes import shapes_graph

    store = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "bench" / ".cache" / "1m" / "store")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    program = shacl_engine.compiled(shapes_graph())
    with LocalStore(store, read_only=True) as backend:
        texts = [backend.year_ntriples(y) for y in stored_years(backend)[:n]]

    def validate() -> None:
        for text in texts:
            program.validate_text(text, format="ntriples")

    t = time.perf_counter()
    validate()
    alone = time.perf_counter() - t
    longest, held = pauses(validate)
    s_longest, s_held = pauses(lambda: time.sleep(alone))
    print(f"shacl on {len(texts)} graphs alone: {alone:.2f} s")
    print(f"beside it, the loop thread paused {held:.2f} s in pauses over 4 ms (longest {longest * 1e3:.1f} ms)")
    print(f"beside a {alone:.2f} s sleep: {s_held:.2f} s (longest {s_longest * 1e3:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
