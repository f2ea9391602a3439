#!/usr/bin/python3
"""A full disk: `folio` runs ingest, analyze and corpus build (whose snapshots are the context cache's writes) on a
disk that fills up part way, through full_disk_shim.so (LD_PRELOAD: writes under the workspace fail with ENOSPC once
a byte budget is spent), then space comes back and the user runs the command again.

Each trial must end in one of two ways: the command completes (the budget sufficed), or it exits 1 with a message
that names the file it could not write and says the disk is full; never a crash, a hang or an exit 0 over lost work.
Then SQLite's integrity_check passes on the workspace and its cache, the same command without the shim completes,
and what the workspace answers equals a run that never met a full disk. Prints one line per phase and the totals
(docs/reliability.md quotes them); exits 1 on any failure.

Usage: full_disk.py --folio FOLIO --write-tiny-model WRITE_TINY_MODEL --shim FULL_DISK_SHIM [--budgets N]
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from workspace_fixture import PHASES, TIMEOUT_S, Folio, first_difference, integrity, report, uninterrupted_runs

FULL = ("disk is full", "disk full", "No space left")


def cache_integrity(ws):
    db = os.path.join(ws, "cache", "cache.sqlite")
    if not os.path.exists(db):
        return "ok"
    with sqlite3.connect(db, timeout=30) as c:
        return c.execute("PRAGMA integrity_check").fetchone()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folio", required=True)
    ap.add_argument("--write-tiny-model", required=True)
    ap.add_argument("--shim", required=True)
    ap.add_argument("--budgets", type=int, default=6, help="trials per phase, the disk filling at evenly spaced points")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="folio-full-disk-")
    failures = []
    try:
        folio = Folio(a.folio, a.write_tiny_model, work)
        runs = uninterrupted_runs(folio, work)
        for phase in PHASES:
            stats = {"completed": 0, "refused": 0}
            for trial in range(a.budgets):
                # From a fraction of what the phase leaves on disk to more (SQLite's journal writes some twice).
                budget = 3 * max(4096, runs[phase]["bytes"]) * (trial + 1) // (a.budgets + 1)
                ws = os.path.join(work, "trial")
                shutil.rmtree(ws, ignore_errors=True)
                if runs[phase]["start"]:
                    shutil.copytree(runs[phase]["start"], ws)
                else:
                    os.makedirs(ws)
                env = dict(os.environ, LD_PRELOAD=a.shim, FOLIO_FULL_DISK_DIR=os.path.realpath(ws),
                           FOLIO_FULL_DISK_FREE=str(budget))
                where = f"{phase}, {budget} bytes free"
                try:
                    p = subprocess.run(folio.command(ws, phase), env=env, capture_output=True, timeout=TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    failures.append(f"{where}: hung")
                    continue
                # With --json the problems are in the report on stdout, the rest on stderr.
                said = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
                if p.returncode == 0:
                    stats["completed"] += 1
                elif p.returncode == 1 and any(f in said for f in FULL) and ws in said:
                    stats["refused"] += 1
                else:
                    failures.append(f"{where}: exit {p.returncode} without naming the file and the full disk: {said[-600:]}")
                    continue
                for name, check in (("workspace", integrity(ws)), ("cache", cache_integrity(ws))):
                    if check != "ok":
                        failures.append(f"{where}: integrity_check of the {name} says {check}")
                try:
                    folio.run(ws, phase)
                    state = folio.state(ws, phase)
                except Exception as e:  # with space back, the same command must complete
                    failures.append(f"{where}: run again: {e}")
                    continue
                if state != runs[phase]["state"]:
                    failures.append(f"{where}: differs from a run on a disk with space: "
                                    f"{first_difference(runs[phase]['state'], state)}")
            print(f"{phase}: {a.budgets} trials on a disk that filled up ({stats['completed']} completed within their "
                  f"budget, {stats['refused']} stopped with the full disk named), each run again with space: "
                  f"{sum(1 for f in failures if f.startswith(phase))} failures", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(failures, f"full disk: {3 * a.budgets} trials, {len(failures)} failures")


if __name__ == "__main__":
    sys.exit(main())
