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
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 600
QUESTION = "Who pays the fees?"


def canonical(value):
    """JSON with run-dependent fields (row ids, times) left out and lists of documents in path order."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())
                if k not in ("id", "document", "source", "updated", "seconds", "cancelled") and not k.endswith(("_seconds", "_ms"))}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        if all(isinstance(v, dict) and "path" in v for v in items):
            items.sort(key=lambda v: v["path"])
        return items
    return value


class Folio:
    def __init__(self, exe, model):
        self.exe, self.model = exe, model

    def command(self, ws, phase):
        base = [self.exe, "--workspace", ws]
        if phase == "ingest":
            return base + ["ingest", *self.sources, "--json"]
        if phase == "analyze":
            return base + ["analyze", "--json"]
        return base + ["corpus", "build", "--model", self.model, "--snapshot-every", "256", "--threads", "1", "--json"]

    def run(self, ws, phase):
        p = subprocess.run(self.command(ws, phase), capture_output=True, timeout=TIMEOUT_S)
        if p.returncode != 0:
            raise RuntimeError(f"{phase} failed (exit {p.returncode}): {p.stderr.decode(errors='replace')[-1500:]}")

    def output(self, ws, *args):
        p = subprocess.run([self.exe, "--workspace", ws, *args], capture_output=True, timeout=TIMEOUT_S)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed (exit {p.returncode}): {p.stderr.decode(errors='replace')[-1500:]}")
        return json.loads(p.stdout)

    def state(self, ws, phase):
        """What a user sees of the workspace after `phase` completed."""
        out = {"ls": canonical(self.output(ws, "ls", "--json")),
               "search": canonical(self.output(ws, "search", "payment", "--json"))}
        if phase in ("analyze", "corpus"):
            for what in ("xrefs", "terms"):
                out[what] = canonical(self.output(ws, what, "--json"))
            out["clauses"] = canonical(self.output(ws, "clauses", "--format", "json"))
        if phase == "corpus":
            answer = self.output(ws, "ask", "--model", self.model, "--threads", "1", "-n", "8", "--json", QUESTION)
            out["answer"] = answer.get("answer")
        return out


def first_difference(expected, got, where=""):
    """Where two canonical states first differ, short enough for a failure line."""
    if type(expected) != type(got):
        return f"{where or '.'}: {str(expected)[:200]} became {str(got)[:200]}"
    if isinstance(expected, dict):
        for k in sorted(set(expected) | set(got)):
            if expected.get(k) != got.get(k):
                return first_difference(expected.get(k), got.get(k), f"{where}.{k}")
    if isinstance(expected, list):
        if len(expected) != len(got):
            return f"{where or '.'}: {len(expected)} items became {len(got)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            if e != g:
                return first_difference(e, g, f"{where}[{i}]")
    return f"{where or '.'}: {str(expected)[:200]} became {str(got)[:200]}"


def integrity(ws):
    db = os.path.join(ws, "workspace.sqlite")
    if not os.path.exists(db):
        return "ok"  # killed before the workspace was made
    with sqlite3.connect(db, timeout=30) as c:
        return c.execute("PRAGMA integrity_check").fetchone()[0]


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
        model = os.path.join(work, "tiny.gguf")
        subprocess.run([a.write_tiny_model, model, "--variant", "qwen35"], check=True)
        folio = Folio(a.folio, model)
        contracts = os.path.join(work, "contracts")
        subprocess.run([a.folio, "sample", contracts], check=True, capture_output=True)
        repo = os.path.join(work, "repo")
        os.makedirs(os.path.join(repo, "src"))
        for i in range(60):
            with open(os.path.join(repo, "src", f"unit{i}.c"), "w") as f:
                f.write(f"/* payment schedule {i} */\nint unit{i}(int x) {{ return helper(x) + {i}; }}\n")
        env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "units"]):
            subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)
        folio.sources = [contracts, repo]

        # The uninterrupted runs: each phase's duration (where kills land) and what it leaves.
        clean = {}
        durations = {}
        starts = {"ingest": None}
        previous = None
        for phase in ("ingest", "analyze", "corpus"):
            ws = os.path.join(work, f"clean-{phase}")
            if previous:
                shutil.copytree(previous, ws)
            starts[phase] = previous
            t0 = time.monotonic()
            folio.run(ws, phase)
            durations[phase] = time.monotonic() - t0
            clean[phase] = folio.state(ws, phase)
            previous = ws
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
    for f in failures:
        print("FAILURE:", f)
    print(f"{3 * a.trials} trials, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
