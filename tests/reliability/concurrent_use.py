#!/usr/bin/python3
"""Several `folio` processes on one workspace at once, as when the workbench is open while a script or a second
terminal ingests, analyses, builds the corpus or asks.

Each round starts from an empty workspace and runs three stages, every stage's writers at the same time while
readers (ls, search, clauses, terms) query the workspace in a loop until the writers are done:
  ingest:  the contracts and the repository ingested by two processes, and the contracts by a third;
  analyze: two processes analysing the same contracts;
  corpus:  two corpus builds with the same model (the same context-cache entries) and a question that builds
           what it needs itself.
Every command must succeed (no "database is locked", no torn cache entry), SQLite's integrity_check must pass,
and the workspace must then answer exactly as one filled by the same commands one after another (with its sources
added in the same order, which sets the corpus's order). Prints a line
per round and the totals (docs/reliability.md quotes them); exits 1 on any failure.

Usage: concurrent_use.py --folio FOLIO --write-tiny-model WRITE_TINY_MODEL [--rounds N]
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from workspace_fixture import QUESTION, TIMEOUT_S, Folio, first_difference, integrity


def stages(folio):
    ask = ["ask", "--model", folio.model, "--snapshot-every", "256", "--threads", "1", "-n", "8", "--json", QUESTION]
    build = ["corpus", "build", "--model", folio.model, "--snapshot-every", "256", "--threads", "1", "--json"]
    return [("ingest", [["ingest", folio.contracts, "--json"], ["ingest", folio.repo, "--json"],
                        ["ingest", folio.contracts, "--json"]]),
            ("analyze", [["analyze", "--json"], ["analyze", "--json"]]),
            ("corpus", [build, build, ask])]


READERS = [["ls", "--json"], ["search", "payment", "--json"], ["clauses", "--format", "json"], ["terms", "--json"]]


def run_stage(folio, ws, writers, failures, counts):
    """The writers at once, and readers in a loop beside them until the last writer is done."""
    done = threading.Event()

    def reader(args):
        while not done.is_set():
            p = subprocess.run([folio.exe, "--workspace", ws, *args], capture_output=True, timeout=TIMEOUT_S)
            counts["reads"] += 1
            err = p.stderr.decode(errors="replace")
            # Before the first analyze, the analysis commands say so; that is the answer, not a failure.
            if p.returncode != 0 and "has been analysed yet" not in err and "no workspace" not in err:
                failures.append(f"reader {' '.join(args)} failed (exit {p.returncode}): {err[-400:]}")

    threads = [threading.Thread(target=reader, args=(r,)) for r in READERS]
    for t in threads:
        t.start()
    procs = [subprocess.Popen([folio.exe, "--workspace", ws, *w], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for w in writers]
    for w, p in zip(writers, procs):
        _, err = p.communicate(timeout=TIMEOUT_S)
        counts["writes"] += 1
        if p.returncode != 0:
            failures.append(f"{' '.join(w[:2])} failed (exit {p.returncode}): {err.decode(errors='replace')[-600:]}")
    done.set()
    for t in threads:
        t.join()


def source_order(ws):
    with sqlite3.connect(os.path.join(ws, "workspace.sqlite"), timeout=30) as c:
        return tuple(os.path.basename(row[0]) for row in c.execute("SELECT location FROM sources ORDER BY id"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folio", required=True)
    ap.add_argument("--write-tiny-model", required=True)
    ap.add_argument("--rounds", type=int, default=20)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="folio-concurrent-")
    failures = []
    counts = {"reads": 0, "writes": 0}
    try:
        folio = Folio(a.folio, a.write_tiny_model, work)
        # The references: the same writers one after another, for either order the sources can be added in.
        expected = {}
        for first in (folio.contracts, folio.repo):
            reference = os.path.join(work, "serial-" + os.path.basename(first))
            folio.output(reference, "ingest", first, "--json")
            for _, writers in stages(folio):
                for w in writers:
                    folio.output(reference, *w)
            expected[source_order(reference)] = folio.state(reference, "corpus")
            if not expected[source_order(reference)]["answer resumed the whole corpus"]:
                failures.append("the serial run's question did not resume the corpus from the cache")
        t0 = time.monotonic()
        for round_ in range(a.rounds):
            ws = os.path.join(work, "shared")
            shutil.rmtree(ws, ignore_errors=True)
            before = len(failures)
            for name, writers in stages(folio):
                run_stage(folio, ws, writers, failures, counts)
                check = integrity(ws)
                if check != "ok":
                    failures.append(f"round {round_} {name}: integrity_check says {check}")
            try:
                state = folio.state(ws, "corpus")
                for key, value in expected[source_order(ws)].items():
                    if state[key] != value:
                        failures.append(f"round {round_}: '{key}' differs from the serial run: "
                                        f"{first_difference(value, state[key])}")
            except Exception as e:
                failures.append(f"round {round_}: {e}")
            print(f"round {round_}: {'ok' if len(failures) == before else 'FAILED'}", flush=True)
        print(f"{a.rounds} rounds in {time.monotonic() - t0:.0f} s: {counts['writes']} writing and "
              f"{counts['reads']} reading commands, {len(failures)} failures")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAILURE:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
