"""What the reliability scripts share: a workspace's sources (the built-in sample contracts and a small git
repository) and tiny model, the `folio` commands that fill it, and what a user then sees of it (ls, search,
cross-references, terms, clauses and an answer resumed from the context cache) in a form two runs can compare.
"""
import json
import os
import shutil
import sqlite3
import subprocess
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
    """The folio executable over the shared sources: make_sources() writes them and the model under `work`."""

    def __init__(self, exe, write_tiny_model, work):
        self.exe = exe
        self.model = os.path.join(work, "tiny.gguf")
        subprocess.run([write_tiny_model, self.model, "--variant", "qwen35"], check=True, capture_output=True)
        contracts = os.path.join(work, "contracts")
        subprocess.run([exe, "sample", contracts], check=True, capture_output=True)
        repo = os.path.join(work, "repo")
        os.makedirs(os.path.join(repo, "src"))
        for i in range(60):
            with open(os.path.join(repo, "src", f"unit{i}.c"), "w") as f:
                f.write(f"/* payment schedule {i} */\nint unit{i}(int x) {{ return helper(x) + {i}; }}\n")
        env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "units"]):
            subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)
        self.contracts, self.repo = contracts, repo
        self.sources = [contracts, repo]

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
            # The build's snapshot spacing, so the question resumes from the very entries the build wrote.
            answer = self.output(ws, "ask", "--model", self.model, "--snapshot-every", "256", "--threads", "1", "-n", "8",
                                 "--json", QUESTION)
            out["answer"] = answer.get("answer")
            out["answer resumed the whole corpus"] = answer.get("resumed_at") == answer.get("corpus_tokens")
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


def report(failures, summary):
    """Each failure, then the summary line; the exit status of a trial script."""
    for f in failures:
        print("FAILURE:", f)
    print(summary)
    return 1 if failures else 0


PHASES = ("ingest", "analyze", "corpus")


def tree_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def uninterrupted_runs(folio, work):
    """Each phase run once after the one before, each in its own copy under `work`: per phase, the workspace it
    starts from (None for ingest), how long it took, how many bytes it added to the workspace, and its state."""
    runs, previous = {}, None
    for phase in PHASES:
        ws = os.path.join(work, f"clean-{phase}")
        if previous:
            shutil.copytree(previous, ws)
        before = tree_bytes(ws) if previous else 0
        t0 = time.monotonic()
        folio.run(ws, phase)
        runs[phase] = {"start": previous, "seconds": time.monotonic() - t0, "bytes": tree_bytes(ws) - before,
                       "state": folio.state(ws, phase)}
        previous = ws
    return runs
