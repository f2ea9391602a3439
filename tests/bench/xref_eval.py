#!/usr/bin/python3
"""Scores cross-reference resolution against the hand labels in xref_labels.tsv, overall and by reference kind.

Usage: folio --workspace WS xrefs --json | tests/bench/xref_eval.py [tests/bench/xref_labels.tsv] [-v]
(-v lists the references it got wrong)
where WS holds the CUAD PDFs, ingested and analysed. cuad_bench.sh runs it.
"""
import collections
import json
import re
import sys

labels_file = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "-v" else "tests/bench/xref_labels.tsv"
found = collections.defaultdict(list)
for ref in json.load(sys.stdin):
    found[(ref["document"], ref["page"], ref["text"])].append(ref)

def page_ok(spec, page):
    if spec == "*":
        return True
    if spec.startswith(">"):
        return page > int(spec[1:])
    return page == int(spec)

total = correct = 0
by_kind = collections.Counter()
by_form = collections.Counter()
wrong = []


def form_of(text):
    """The kind of reference as written: its keyword, or how a keyword-less item in a list looks."""
    words = text.lower().split()
    if words[0] in ("this", "the"):
        return "this " + words[-1].rstrip("s")
    if text[0].isdigit() or re.fullmatch(r"[IVXLC]+|[ivxlc]+", text):
        return "number in a list"
    if text[0] == "(":
        return "bare (item)"
    if text[0] == "§":
        return "section"
    word = words[0].rstrip("s").replace("sub-", "sub")
    return {"sec.": "section", "annexe": "annex", "appendice": "appendix", "addenda": "addendum"}.get(word, word)


for line in open(labels_file, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    document, page, text, occurrence, target_page, expected = line.rstrip("\n").split("\t")
    refs = found.get((document, int(page), text), [])
    ref = refs[int(occurrence)] if int(occurrence) < len(refs) else None
    if expected == "NOTREF":
        ok = ref is None
    elif expected == "NONE":
        ok = ref is not None and not ref["resolved"]
    else:
        ok = (ref is not None and ref["resolved"] and ref["target"]["citation"] == expected
              and page_ok(target_page, ref["target"]["page"]))
    kind = "not a reference" if expected == "NOTREF" else "no target here" if expected == "NONE" else "has a target"
    total += 1
    correct += ok
    by_kind[(kind, ok)] += 1
    by_form[(form_of(text), ok)] += 1
    if not ok:
        got = "not reported" if ref is None else (
            f"{ref['target']['citation']} p.{ref['target']['page']}" if ref["resolved"] else "unresolved")
        wrong.append(f"  {document[:40]} p.{page} '{text}': expected {expected} {target_page}, got {got}")

print(f"cross-reference resolution: {correct} of {total} hand-labelled references right = {100 * correct / total:.1f}%")
for kind in ("has a target", "no target here", "not a reference"):
    n = by_kind[(kind, True)] + by_kind[(kind, False)]
    if n:
        print(f"  {kind}: {by_kind[(kind, True)]} of {n}")
print("  by reference kind:")
for form in sorted({f for f, _ in by_form}, key=lambda f: -(by_form[(f, True)] + by_form[(f, False)])):
    n = by_form[(form, True)] + by_form[(form, False)]
    print(f"    {form}: {by_form[(form, True)]} of {n} = {100 * by_form[(form, True)] / n:.0f}%")
if "-v" in sys.argv:
    print("\n".join(wrong))
