#!/usr/bin/python3
"""Folio's code intelligence against a precise oracle on a real repository (see README.md, section "Code").

  code_accuracy.py --lang c  --repo C_REPO --compile-commands C_REPO/build --ws WS --out DIR
  code_accuracy.py --lang ts --repo TS_REPO --tsconfig TS_REPO/tsconfig.spec.json --typescript NODE_MODULES/typescript \
                   --ws WS --out DIR

The repository must already be ingested into WS (`folio --workspace WS ingest REPO`). Writes DIR/<lang>.json (every
sampled case with the oracle's and Folio's answers) and prints a Markdown summary.
"""
import argparse
import collections
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

C_KEYWORDS = set("""auto break case char const continue default do double else enum extern float for goto if inline int
long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool
_Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local defined
include define ifdef ifndef endif elif undef pragma error line asm __asm__ __attribute__ __typeof__ typeof
__inline __inline__ __extension__ __restrict __volatile__""".split())
TS_KEYWORDS = set("""break case catch class const continue debugger default delete do else enum export extends false
finally for function if import in instanceof new null return super switch this throw true try typeof var void while with
as implements interface let package private protected public static yield any boolean constructor declare get module
require number set string symbol type from of async await keyof readonly unique infer is never unknown undefined object
bigint satisfies abstract override accessor asserts namespace global""".split())


# ---------------------------------------------------------------------------------------------------------------
# Source text: comments and literals blanked, identifiers with their positions.

def mask(text, lang):
    """The text with comments, string/char literals (TS: template literals whole) and #include targets blanked."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif c in "\"'" or (c == "`" and lang == "ts"):
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\\":
                    j += 1
                elif text[j] == "\n" and c != "`":
                    break
                j += 1
            blank(i, min(j + 1, n))
            i = j + 1
        elif lang == "c" and c == "#" and text[text.rfind("\n", 0, i) + 1:i].strip() == "":
            m = re.match(r"#\s*include\s*(<[^>\n]*>)?", text[i:])
            if m:
                blank(i, i + m.end())
                i += m.end()
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


def identifiers(text, lang):
    """[(name, line0, char0, offset)] for every identifier outside comments and literals, keywords left out."""
    masked = mask(text, lang)
    keywords = C_KEYWORDS if lang == "c" else TS_KEYWORDS
    line_starts = [0] + [m.end() for m in re.finditer("\n", masked)]
    out = []
    li = 0
    for m in re.finditer(r"(?<![\w$])[A-Za-z_$][\w$]*" if lang == "ts" else r"(?<![\w])[A-Za-z_]\w*", masked):
        name = m.group()
        if name in keywords or (lang == "c" and "$" in name):
            continue
        if lang == "c" and m.start() > 0 and masked[m.start() - 1].isdigit():
            continue
        while li + 1 < len(line_starts) and line_starts[li + 1] <= m.start():
            li += 1
        out.append((name, li, m.start() - line_starts[li], m.start()))
    return out


def utf16(line_text, char):
    return len(line_text[:char].encode("utf-16-le")) // 2


def bytes_col(line_text, char):
    return len(line_text[:char].encode("utf-8"))


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def git_files(repo):
    return subprocess.run(["git", "-C", repo, "ls-files"], capture_output=True, text=True, check=True).stdout.split()


# ---------------------------------------------------------------------------------------------------------------
# Folio through its command line.

class Folio:
    def __init__(self, binary, ws):
        self.binary, self.ws = binary, ws
        self.calls = 0
        self.seconds = 0.0

    def run(self, *args):
        t = time.time()
        p = subprocess.run([self.binary, "--workspace", self.ws, *args, "--json"], capture_output=True, text=True)
        self.calls += 1
        self.seconds += time.time() - t
        try:
            return json.loads(p.stdout)
        except ValueError:
            return None

    def definitions(self, rel, line1, col1):
        r = self.run("def", "%s:%d:%d" % (rel, line1, col1), "--all")
        return (r or {}).get("definitions", []) if isinstance(r, dict) else []

    def references(self, rel, line1, col1):
        r = self.run("refs", "%s:%d:%d" % (rel, line1, col1))
        return (r or {}).get("references", []) if isinstance(r, dict) else []

    def complete(self, rel, line1, col1, limit=20):
        r = self.run("complete", "%s:%d:%d" % (rel, line1, col1), "--limit", str(limit))
        return [c["name"] for c in r] if isinstance(r, list) else []


# ---------------------------------------------------------------------------------------------------------------
# Oracles: each answers def(occ) -> dict(expected=[(rel, line1)], declared=[(rel, line1)], kind=..., detail=...) or
# a reason string to skip; refs(occ) -> set of (rel, line1) or None.

def c_kind(hover, name):
    if not hover:
        return "other"
    first = hover.split("\n", 1)[0]
    word = first.split(" ", 1)[0]
    if first == name:
        return "label"
    if word == "function":
        return "function"
    if word == "macro":
        return "macro"
    if word in ("struct", "union", "enum", "type-alias", "typedef", "class", "type"):
        return "type"
    if word == "field":
        return "field"
    if word == "enumerator":
        return "enumerator"
    if word == "param":
        return "local/param"
    if word == "variable":
        return "local/param" if re.search(r"\n// In \w+\n", hover) else "global variable"
    return "other:" + word


class ClangdOracle:
    def __init__(self, repo, ccdir, log, serve=True):
        from lsp_clangd import Clangd
        self.repo = os.path.realpath(repo)
        self.ccdir = os.path.realpath(ccdir)
        self.db = json.load(open(os.path.join(ccdir, "compile_commands.json")))
        self.tus = []
        for e in self.db:
            f = os.path.realpath(os.path.join(e["directory"], e["file"]))
            if f.startswith(self.repo + "/") and not f.startswith(self.ccdir + "/"):
                self.tus.append(os.path.relpath(f, self.repo))
        self.tus = sorted(set(self.tus))
        self.current = None
        self.clangd = Clangd(self.repo, self.ccdir, log=log) if serve else None
        self.index_seconds = self.clangd.wait_for_index(os.path.join(self.repo, self.tus[0])) if serve else 0.0

    def visible_files(self):
        """The translation units and every repository header they include (gcc -MM on each compile command)."""
        files = set(self.tus)
        for e in self.db:
            args = shlex.split(e["command"]) if "command" in e else list(e["arguments"])
            keep, skip = [], False
            for a in args:
                if skip:
                    skip = False
                    continue
                if a == "-o":
                    skip = True
                    continue
                if a == "-c":
                    continue
                keep.append(a)
            p = subprocess.run(keep + ["-MM", "-MG"], cwd=e["directory"], capture_output=True, text=True)
            for tok in p.stdout.replace("\\\n", " ").split()[1:]:
                f = os.path.realpath(os.path.join(e["directory"], tok))
                if f.startswith(self.repo + "/") and os.path.exists(f):
                    files.add(os.path.relpath(f, self.repo))
        return files

    def sample_files(self):
        return self.tus

    def _focus(self, rel):
        path = os.path.join(self.repo, rel)
        if self.current and self.current != path:  # one open file at a time keeps clangd's memory flat
            self.clangd.close_file(self.current)
        self.current = path
        return path

    def _rel(self, locs):
        out = []
        for p, l, c in locs:
            p = os.path.realpath(p)
            out.append((os.path.relpath(p, self.repo) if p.startswith(self.repo + "/") else p, l + 1, c))
        return out

    def inside(self, rel):
        return not rel.startswith("/") and not os.path.realpath(os.path.join(self.repo, rel)).startswith(self.ccdir + "/")

    def definition(self, rel, line0, char, lines):
        path = self._focus(rel)
        col = utf16(lines[line0], char)
        d = self._rel(self.clangd.definition(path, line0, col))
        if not d:
            return "no answer"
        decl = self._rel(self.clangd.declaration(path, line0, col))
        here = (rel, line0 + 1, col)
        if here in d or here in decl:
            return "definition site"
        hover, _ = self.clangd.hover(path, line0, col)
        if not hover:
            # Inactive #if branches and macro bodies: clangd has no AST there and answers by the name alone.
            return "no hover (inactive #if branch or macro body)"
        kind = c_kind(hover, re.match(r"\w*", lines[line0][char:]).group())
        expected = d
        if set(d) == set(decl) and kind in ("function", "global variable") and self.inside(d[0][0]):
            # clangd points at a declaration of a function or variable: follow it once to its definition.
            dp, dl, dc = d[0]
            followed = self._rel(self.clangd.definition(os.path.join(self.repo, dp), dl - 1, dc))
            if os.path.join(self.repo, dp) != path:
                self.clangd.close_file(os.path.join(self.repo, dp))
            if here in followed:
                return "definition site"
            if followed and followed[0][:2] != (dp, dl):
                expected = followed
        if not all(self.inside(p) for p, _, _ in expected):
            return "outside the repository"
        return {"expected": sorted({(p, l) for p, l, _ in expected}), "declared": sorted({(p, l) for p, l, _ in decl}),
                "kind": kind, "detail": (hover or "").split("\n", 1)[0]}

    def references(self, rel, line0, char, lines):
        path = self._focus(rel)
        refs = self._rel(self.clangd.references(path, line0, utf16(lines[line0], char)))
        return {(p, l) for p, l, _ in refs if self.inside(p)}

    def close(self):
        if self.clangd:
            self.clangd.close()


def ts_kind(d):
    k = d["kind"]
    if k in ("function", "local function"):
        return "local/param" if k == "local function" else "function"
    if k in ("method", "getter", "setter", "constructor"):
        return "method"
    if k in ("property", "enum member", "index"):
        return "property"
    if k == "class":
        return "class"
    if k in ("interface", "type", "type parameter", "enum", "primitive type"):
        return "type"
    if k == "parameter" or k == "local var":
        return "local/param"
    if k in ("const", "let", "var"):
        return "local/param" if d.get("local") else "module variable"
    return "other:" + k


class TsOracle:
    def __init__(self, repo, tsconfig, typescript):
        self.repo = os.path.realpath(repo)
        env = dict(os.environ, TYPESCRIPT=typescript)
        self.proc = subprocess.Popen(["node", os.path.join(os.path.dirname(os.path.abspath(__file__)), "ts_oracle.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        files = self.ask({"op": "init", "tsconfig": os.path.realpath(tsconfig)})["files"]
        self.files = sorted(os.path.relpath(f, self.repo) for f in files if self.inside_abs(f))
        self.index_seconds = 0.0

    def inside_abs(self, f):
        f = os.path.realpath(f)
        return f.startswith(self.repo + "/") and "/node_modules/" not in f

    def ask(self, q):
        self.proc.stdin.write(json.dumps(q) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def visible_files(self):
        return set(self.files)

    def sample_files(self):
        return [f for f in self.files if f.endswith((".ts", ".tsx")) and not f.endswith(".d.ts")]

    def definition(self, rel, line0, char, lines):
        r = self.ask({"op": "def", "file": os.path.join(self.repo, rel), "line": line0, "col": utf16(lines[line0], char)})
        if r.get("error") or not r.get("defs"):
            return "no answer"
        inside = [d for d in r["defs"] if self.inside_abs(d["file"])]
        if not inside:
            return "outside the repository"
        if inside[0]["kind"] == "alias":
            return "unresolved import (external package)"  # no node_modules: the service stops at the import
        here = (rel, line0 + 1, utf16(lines[line0], char))
        exp = [(os.path.relpath(os.path.realpath(d["file"]), self.repo), d["line"] + 1, d["col"]) for d in inside]
        if here in exp:
            return "definition site"
        return {"expected": sorted({(p, l) for p, l, _ in exp}), "declared": [], "kind": ts_kind(inside[0]),
                "detail": inside[0]["kind"] + " " + inside[0]["name"]}

    def references(self, rel, line0, char, lines):
        r = self.ask({"op": "refs", "file": os.path.join(self.repo, rel), "line": line0, "col": utf16(lines[line0], char)})
        return {(os.path.relpath(os.path.realpath(x["file"]), self.repo), x["line"] + 1)
                for x in r.get("refs", []) if self.inside_abs(x["file"])}

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


# ---------------------------------------------------------------------------------------------------------------
# ctags baseline.

def ctags_index(repo, out):
    if os.path.exists(out):
        os.remove(out)  # ctags will not overwrite a JSON tag file
    subprocess.run(["ctags", "-R", "--fields=+n", "--output-format=json", "--exclude=.git", "--exclude=node_modules",
                    "--exclude=build", "--exclude=.cache", "-f", out, "."], cwd=repo, check=True)
    by_name = collections.defaultdict(list)
    for line in open(out, encoding="utf-8", errors="replace"):
        try:
            t = json.loads(line)
        except ValueError:
            continue
        if t.get("_type") == "tag" and "line" in t:
            by_name[t["name"]].append((os.path.normpath(t["path"]), t["line"]))
    return by_name  # in ctags' output order: sorted by name, same-name tags by file path


def defined_names(repo, out):
    """Every name ctags finds defined with all its kinds on (locals and parameters too)."""
    if os.path.exists(out):
        os.remove(out)
    subprocess.run(["ctags", "-R", "--kinds-all=*", "--output-format=json", "--exclude=.git", "--exclude=node_modules",
                    "--exclude=build", "--exclude=.cache", "-f", out, "."], cwd=repo, check=True)
    names = set()
    for line in open(out, encoding="utf-8", errors="replace"):
        try:
            t = json.loads(line)
        except ValueError:
            continue
        if t.get("_type") == "tag":
            names.add(t["name"])
    return names


def f1(pred, gold):
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    if tp == 0:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


# ---------------------------------------------------------------------------------------------------------------

def navigation(a, folio, oracle, repo, lang, sample_files, visible, lines, idents, occurrences, rng, log):
    """Go-to-definition and find-references against the oracle: (cases, refs, skipped)."""
    # ---- go-to-definition: a uniform sample of occurrences, asked in file order (one file open at a time).
    drawn = rng.sample(occurrences, min(a.candidates, len(occurrences)))
    drawn.sort()
    skipped = collections.Counter()
    cases = []
    for f, i in drawn:
        name, line0, char, _ = idents[f][i]
        r = oracle.definition(f, line0, char, lines[f])
        if isinstance(r, str):
            skipped[r] += 1
            continue
        cases.append(dict(file=f, idx=i, name=name, line=line0 + 1, char=char, **r))
    log("definition: %d cases, skipped %s" % (len(cases), dict(skipped)))

    tags = ctags_index(repo, os.path.join(a.out, "tags-%s.json" % lang))
    for c in cases:
        line_text = lines[c["file"]][c["line"] - 1]
        defs = folio.definitions(c["file"], c["line"], bytes_col(line_text, c["char"]) + 1)
        got = [(d["path"], d["line"]) for d in defs]
        exp = set(map(tuple, c["expected"]))
        c["folio"] = got[:5]
        c["folio_top1_declaration"] = bool(defs and defs[0].get("declaration"))
        c["top1"] = bool(got) and got[0] in exp
        c["top1_or_decl"] = bool(got) and (got[0] in exp or got[0] in set(map(tuple, c["declared"])))
        c["rank"] = next((k + 1 for k, g in enumerate(got) if g in exp), None)
        t = tags.get(c["name"], [])
        c["ctags"] = t[:3]
        c["ctags_top1"] = bool(t) and t[0] in exp
        same = [x for x in t if x[0] == c["file"]]
        c["ctags_samefile_top1"] = bool(t) and (same or t)[0] in exp
    log("definition done (%d folio calls)" % folio.calls)

    # ---- find-references: distinct symbols from the definition sample, spread over kinds.
    by_kind = collections.defaultdict(list)
    seen = set()
    for c in random.Random(a.seed + 1).sample(cases, len(cases)):
        key = tuple(map(tuple, c["expected"]))
        if key not in seen:
            seen.add(key)
            by_kind[c["kind"]].append(c)
    ref_cases = []
    while len(ref_cases) < a.refs and any(by_kind.values()):
        for k in sorted(by_kind):
            if by_kind[k] and len(ref_cases) < a.refs:
                ref_cases.append(by_kind[k].pop())
    token_sites = collections.defaultdict(set)
    for f in visible:
        for n, l0, _, _ in idents.get(f, []):
            token_sites[n].add((f, l0 + 1))
    refs = []
    for c in sorted(ref_cases, key=lambda c: (c["file"], c["line"])):
        gold = oracle.references(c["file"], c["line"] - 1, c["char"], lines[c["file"]])
        line_text = lines[c["file"]][c["line"] - 1]
        got = {(r["path"], r["line"]) for r in folio.references(c["file"], c["line"], bytes_col(line_text, c["char"]) + 1)}
        got_all = len(got)
        got = {g for g in got if g[0] in visible}
        names = token_sites[c["name"]]
        refs.append(dict(file=c["file"], line=c["line"], name=c["name"], kind=c["kind"], gold=len(gold), folio=len(got),
                         folio_outside_oracle_files=got_all - len(got), f1=f1(got, gold), baseline_f1=f1(names, gold),
                         missed=sorted(gold - got)[:5], extra=sorted(got - gold)[:5]))
    log("references done")

    return cases, refs, skipped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", choices=["c", "ts"], required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--ws", required=True)
    root = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    ap.add_argument("--folio", default=os.path.join(root, "build", "dev", "app", "folio"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--compile-commands", help="folder of compile_commands.json (C)")
    ap.add_argument("--tsconfig", help="tsconfig.json (TS)")
    ap.add_argument("--typescript", help="the typescript package folder (TS; code_bench.sh installs a pinned one)")
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--candidates", type=int, default=900, help="identifier occurrences drawn for go-to-definition")
    ap.add_argument("--refs", type=int, default=80, help="symbols for find-references")
    ap.add_argument("--complete", type=int, default=300, help="occurrences for completion (index holds the word)")
    ap.add_argument("--clean", type=int, default=40, help="occurrences for completion on a truncated, re-ingested copy")
    ap.add_argument("--scratch", help="folder for the truncated copies (default: a new temporary folder)")
    ap.add_argument("--completion-only", action="store_true",
                    help="measure completion alone (the same sample; no definitions or references asked)")
    a = ap.parse_args()
    if a.lang == "ts" and not a.typescript:
        ap.error("--typescript is needed with --lang ts")
    if not a.scratch:
        a.scratch = tempfile.mkdtemp(prefix="folio-code-bench-")
    os.makedirs(a.out, exist_ok=True)
    repo = os.path.realpath(a.repo)
    lang = a.lang
    t0 = time.time()
    folio = Folio(a.folio, a.ws)
    oracle = ClangdOracle(repo, a.compile_commands, os.path.join(a.out, "clangd.log"), not a.completion_only) if lang == "c" \
        else TsOracle(repo, a.tsconfig, a.typescript)
    log = lambda *x: print("[%s %5.0fs]" % (lang, time.time() - t0), *x, file=sys.stderr, flush=True)
    log("oracle ready (index %.0fs)" % oracle.index_seconds)

    exts = (".c", ".h") if lang == "c" else (".ts", ".tsx", ".mts", ".cts")
    all_files = [f for f in git_files(repo) if f.endswith(exts)]
    texts = {f: read(os.path.join(repo, f)) for f in all_files}
    lines = {f: t.split("\n") for f, t in texts.items()}
    idents = {f: identifiers(t, lang) for f, t in texts.items()}
    repo_count = collections.Counter(n for f in all_files for n, *_ in idents[f])
    sample_files = [f for f in oracle.sample_files() if f in texts]
    visible = oracle.visible_files()
    log("%d files, %d sampled from, %d visible to the oracle" % (len(all_files), len(sample_files), len(visible)))

    rng = random.Random(a.seed)
    occurrences = [(f, i) for f in sample_files for i in range(len(idents[f]))]
    cases, refs, skipped = [], [], collections.Counter()
    if not a.completion_only:
        cases, refs, skipped = navigation(a, folio, oracle, repo, lang, sample_files, visible, lines, idents, occurrences, rng, log)

    # ---- completion on the unmodified files (the word itself is in the index).
    def baseline(f, offset, prefix, full, clean):
        before = collections.Counter(n for n, _, _, o in idents[f] if o < offset)
        cands = [n for n in repo_count if n.startswith(prefix) and n != prefix]
        cnt = lambda n: repo_count[n] - (1 if clean and n == full else 0)
        cands = [n for n in cands if cnt(n) > 0]
        cands.sort(key=lambda n: (-before[n], -cnt(n), n))
        return cands[:5]

    defined = defined_names(repo, os.path.join(a.out, "tags-all-%s.json" % lang))
    comp_pool = [(f, i) for f, i in occurrences if len(idents[f][i][0]) >= 4]
    comp = random.Random(a.seed + 2).sample(comp_pool, min(a.complete, len(comp_pool)))
    comp_cases = []
    for f, i in comp:
        name, line0, char, offset = idents[f][i]
        line_text = lines[f][line0]
        row = dict(file=f, line=line0 + 1, name=name, defined=name in defined)
        for k in (2, 3):
            prefix = name[:k]
            got = [n for n in folio.complete(f, line0 + 1, bytes_col(line_text, char) + 1 + k) if n != prefix]
            base = baseline(f, offset, prefix, name, False)
            row["folio%d" % k] = got[:5]
            row["base%d" % k] = base
        comp_cases.append(row)
    log("completion done")

    # ---- completion, clean: the occurrence truncated in a scratch copy, committed and re-ingested.
    clean_cases = []
    if a.clean:
        scratch = os.path.join(a.scratch, lang)
        sws = os.path.join(a.scratch, lang + "-ws")
        subprocess.run(["rm", "-rf", scratch, sws], check=True)
        subprocess.run(["git", "clone", "-q", repo, scratch], check=True)
        git = lambda *x: subprocess.run(["git", "-C", scratch, "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                                         *x], check=True, capture_output=True)
        subprocess.run([a.folio, "--workspace", sws, "ingest", scratch], check=True, capture_output=True)
        sfolio = Folio(a.folio, sws)
        ingest_s = []
        for row, (f, i) in list(zip(comp_cases, comp))[:a.clean]:
            name, line0, char, offset = idents[f][i]
            for k in (2, 3):
                prefix = name[:k]
                with open(os.path.join(scratch, f), "w", encoding="utf-8", errors="surrogateescape") as out:
                    out.write(texts[f][:offset + k] + texts[f][offset + len(name):])
                git("commit", "-qam", "truncate")
                t = time.time()
                subprocess.run([a.folio, "--workspace", sws, "ingest", scratch], capture_output=True)
                ingest_s.append(time.time() - t)
                got = [n for n in sfolio.complete(f, line0 + 1, bytes_col(lines[f][line0], char) + 1 + k) if n != prefix]
                row["clean_folio%d" % k] = got[:5]
                row["clean_base%d" % k] = baseline(f, offset, prefix, name, True)
                git("checkout", "-q", "HEAD~1", "--", f)
                git("commit", "-qam", "restore")
            clean_cases.append(row)
        log("clean completion done (ingest %.2fs each)" % (sum(ingest_s) / max(1, len(ingest_s))))

    oracle.close()
    json.dump(dict(lang=lang, repo=repo, skipped=skipped, cases=cases, refs=refs, completion=comp_cases,
                   clean_completion_n=len(clean_cases), folio_calls=folio.calls, folio_seconds=folio.seconds,
                   seconds=time.time() - t0), open(os.path.join(a.out, lang + ".json"), "w"), indent=1)
    report(lang, repo, cases, skipped, refs, comp_cases, clean_cases, time.time() - t0)


def report(lang, repo, cases, skipped, refs, comp, clean, seconds):
    P = print
    P("### %s (%s)\n" % ({"c": "C", "ts": "TypeScript"}[lang], repo))
    P("Go-to-definition: %d use sites kept (skipped: %s). Run took %.0f s.\n" % (
        len(cases), ", ".join("%s %d" % kv for kv in sorted(skipped.items())), seconds))
    P("| kind | n | Folio top-1 | Folio top-1 (def. or decl.) | in Folio's list | ctags first | ctags same-file first |")
    P("|---|---:|---:|---:|---:|---:|---:|")
    kinds = collections.defaultdict(list)
    for c in cases:
        kinds[c["kind"]].append(c)
    for k, cs in sorted(kinds.items(), key=lambda kv: -len(kv[1])) + [("**all**", cases)]:
        n = len(cs)
        P("| %s | %d | %s | %s | %s | %s | %s |" % (k, n, pct(sum(c["top1"] for c in cs), n),
                                                 pct(sum(c["top1_or_decl"] for c in cs), n),
                                                 pct(sum(c["rank"] is not None for c in cs), n),
                                                 pct(sum(c["ctags_top1"] for c in cs), n),
                                                 pct(sum(c["ctags_samefile_top1"] for c in cs), n)))
    P("\nFind-references (%d symbols, file+line sets, files the oracle sees): mean F1 Folio %.3f, name matching %.3f\n" % (
        len(refs), sum(r["f1"] for r in refs) / max(1, len(refs)), sum(r["baseline_f1"] for r in refs) / max(1, len(refs))))
    rk = collections.defaultdict(list)
    for r in refs:
        rk[r["kind"]].append(r)
    P("| kind | n | Folio F1 | name-matching F1 |")
    P("|---|---:|---:|---:|")
    for k, rs in sorted(rk.items()):
        P("| %s | %d | %.3f | %.3f |" % (k, len(rs), sum(r["f1"] for r in rs) / len(rs), sum(r["baseline_f1"] for r in rs) / len(rs)))

    def acc(rows, key, n):
        return sum(r["name"] in r[key][:n] for r in rows)
    P("\nCompletion (identifiers of 4+ characters; cursor after the first k characters):\n")
    P("| variant | n | k | Folio top-1 | Folio top-5 | baseline top-1 | baseline top-5 |")
    P("|---|---:|---:|---:|---:|---:|---:|")
    for label, rows, pre in (("word in the index", comp, ""),
                             ("word in the index, defined in the repository", [r for r in comp if r["defined"]], ""),
                             ("truncated + re-ingested", clean, "clean_"),
                             ("truncated + re-ingested, defined in the repository", [r for r in clean if r["defined"]],
                              "clean_")):
        for k in (2, 3):
            n = len(rows)
            P("| %s | %d | %d | %s | %s | %s | %s |" % (label, n, k, pct(acc(rows, pre + "folio%d" % k, 1), n),
                                                     pct(acc(rows, pre + "folio%d" % k, 5), n),
                                                     pct(acc(rows, pre + "base%d" % k, 1), n),
                                                     pct(acc(rows, pre + "base%d" % k, 5), n)))
    P("")
    misses = [c for c in cases if not c["top1"]]
    P("Go-to-definition misses (first 12 of %d, in file order):\n" % len(misses))
    for c in misses[:12]:
        P("- `%s:%d` `%s` (%s): oracle %s; Folio %s" % (c["file"], c["line"], c["name"], c["kind"],
                                                      ", ".join("%s:%d" % tuple(e) for e in c["expected"]),
                                                      ", ".join("%s:%d" % tuple(g) for g in c["folio"][:2]) or "nothing"))
    P("")


if __name__ == "__main__":
    main()
