#!/usr/bin/python3
"""Crash safety: `folio` killed with SIGKILL at random moments of ingest, analyze and corpus build (whose snapshots
are the context cache's writes), then checked the way a user would find it the next morning.

After every kill: SQLite's integrity_check passes on the workspace, the same command run again completes, and what
the workspace then answers equals a run that was never interrupted (documents, search hits, cross-references,
terms, clauses, and an answer resumed from the context cache, which would differ if a torn cache entry were ever
served). Prints one line per phase and the totals (docs/reliability.md quotes them); exits 1 on any failure.

Usage: kill_trials.py --folio FOLIO --write-tiny-model WRITE_TINY_MODEL [--trials N] [--seed S]
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from workspace_fixture import Folio, first_difference, integrity, report, uninterrupted_runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folio", required=True)
    ap.add_argument("--write-tiny-model", required=True)
    ap.add_argument("--trials", type=int, default=100, help="kills per phase")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--phases", default="ingest,analyze,corpus", help="comma-separated: which phases to kill")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="folio-kill-trials-")
    failures = []
    try:
        folio = Folio(a.folio, a.write_tiny_model, work)

        # The uninterrupted runs: each phase's duration (where kills land) and what it leaves.
        runs = uninterrupted_runs(folio, work)
        clean = {phase: run["state"] for phase, run in runs.items()}
        durations = {phase: run["seconds"] for phase, run in runs.items()}
        starts = {phase: run["start"] for phase, run in runs.items()}
        if not clean["corpus"]["answer resumed the whole corpus"]:
            failures.append("the uninterrupted run's question did not resume the corpus from the cache")
        for phase in a.phases.split(","):
            stats = {"killed": 0, "finished_first": 0}
            t_phase = time.monotonic()
            for trial in range(a.trials):
                ws = os.path.join(work, "trial")
                shutil.rmtree(ws, ignore_errors=True)
                if starts[phase]:
                    shutil.copytree(starts[phase], ws)
                proc = subprocess.Popen(folio.command(ws, phase), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0, durations[phase] * 1.1))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    stats["killed"] += 1
                else:
                    stats["finished_first"] += 1
                proc.wait()
                check = integrity(ws)
                if check != "ok":
                    failures.append(f"{phase} trial {trial}: integrity_check says {check}")
                    continue
                try:
                    folio.run(ws, phase)
                    state = folio.state(ws, phase)
                except Exception as e:  # the run after a kill must complete
                    failures.append(f"{phase} trial {trial}: {e}")
                    continue
                for key, value in clean[phase].items():
                    if state[key] != value:
                        failures.append(f"{phase} trial {trial}: '{key}' differs from the uninterrupted run: "
                                        f"{first_difference(value, state[key])}")
            print(f"{phase}: {a.trials} trials in {time.monotonic() - t_phase:.0f} s (the uninterrupted run takes "
                  f"{durations[phase]:.2f} s), {stats['killed']} killed mid-run, {stats['finished_first']} finished first; "
                  f"failures so far: {len(failures)}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(failures, f"{len(a.phases.split(',')) * a.trials} trials, {len(failures)} failures")


if __name__ == "__main__":
    sys.exit(main())
