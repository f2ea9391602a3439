#!/usr/bin/python3
"""The bad-input corpus: broken and hostile PDFs, repositories and model files, generated here, then fed to the
`folio` executable the way a user would (one `ingest` of a folder of PDFs with good ones among the bad, one
`ingest` of good and bad repositories together, `engine info` on each model).

Every input must end in one of two ways: read (its pages or files are in the workspace) or reported (a problem
naming its path with a reason), never a crash, a hang or a silent skip; the good inputs in the same batch must all
be read; peak memory must stay bounded. Prints one line per input and a summary (docs/reliability.md quotes it);
exits 1 on any failure.

Usage: bad_inputs.py --folio FOLIO --write-tiny-model WRITE_TINY_MODEL [--keep DIR]
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MAX_RSS_MIB = 2048  # far above what ingest needs; a leak or a whole-file read of a hostile input crosses it
TIMEOUT_S = 600


# ---------------------------------------------------------------- PDFs

def pdf(objects, trailer_extra=b"", header=b"%PDF-1.4\n", xref=True):
    """Objects 1..n (bytes each), with a correct cross-reference table unless xref is False."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    if xref:
        start = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b" >>\n"
        out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d " % len(data) + extra + b" >>\nstream\n" + data + b"\nendstream"


def text_page_objects(texts, font=True, page_extra=b"", mediabox=b"[0 0 612 792]"):
    """Catalog, page tree, font, then a page and its content per text."""
    n = len(texts)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    resources = b"/Resources << /Font << /F1 3 0 R >> >>" if font else b""
    for i, t in enumerate(texts):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" " + resources + b" /Contents %d 0 R "
                       % (5 + 2 * i) + page_extra + b" >>")
        objects.append(stream(b"BT /F1 12 Tf 72 720 Td (" + t + b") Tj ET"))
    return objects


def simple_pdf(text=b"Section 1. The Supplier shall deliver the goods.", **kw):
    return pdf(text_page_objects([text], **kw))


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def encrypted_pdf(user_password, owner_password=b"owner"):
    """The standard security handler, revision 2 (RC4, 40-bit key), with a readable page behind it."""
    pad = lambda p: (p + PAD)[:32]
    o = rc4(hashlib.md5(pad(owner_password)).digest()[:5], pad(user_password))
    p = -4
    file_id = bytes(range(16))
    key = hashlib.md5(pad(user_password) + o + struct.pack("<i", p) + file_id).digest()[:5]
    u = rc4(key, PAD)
    content = b"BT /F1 12 Tf 72 720 Td (The secret clause is here.) Tj ET"
    object_key = hashlib.md5(key + struct.pack("<I", 4)[:3] + b"\0\0").digest()[:10]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               stream(rc4(object_key, content)),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode() + b"> /P %d >>" % p]
    return pdf(objects, b"/Encrypt 6 0 R /ID [<" + file_id.hex().encode() + b"> <" + file_id.hex().encode() + b">]")


def bad_pdfs(good):
    """name -> bytes. `good` is a real multi-page contract PDF to cut and damage."""
    out = {}
    out["zero-bytes.pdf"] = b""
    out["plain-text.pdf"] = b"This is not a PDF at all, only text with a .pdf name.\n" * 20
    out["png-inside.pdf"] = b"\x89PNG\r\n\x1a\n" + bytes(4000)
    out["random-binary.pdf"] = hashlib.sha256(b"seed").digest() * 2048
    out["header-only.pdf"] = b"%PDF-1.7\n"
    for pct in range(5, 100, 10):
        out["truncated-%02d-percent.pdf" % pct] = good[: len(good) * pct // 100]
    body = simple_pdf()
    out["xref-offsets-wrong.pdf"] = re.sub(rb"\d{10} 00000 n", b"0000000001 00000 n", body)
    out["no-xref-no-trailer.pdf"] = pdf(text_page_objects([b"Section 2. Payment terms."]), xref=False)
    out["startxref-past-end.pdf"] = body[: body.rfind(b"startxref")] + b"startxref\n99999999\n%%EOF\n"
    out["stream-length-wrong.pdf"] = re.sub(rb"/Length \d+", b"/Length 6400", body)
    out["junk-before-header.pdf"] = b"\x00JUNK" * 200 + body
    out["no-eof-marker.pdf"] = body[: body.rfind(b"%%EOF")]
    out["encrypted-owner-password-only.pdf"] = encrypted_pdf(b"")
    out["encrypted-user-password.pdf"] = encrypted_pdf(b"secret")
    objects = text_page_objects([b"Section 3. Term."])
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R /Names << /JavaScript 10 0 R >> >>"
    objects += [b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hostile'\\); while\\(true\\){}) >>",
                b"<< /Names [(a) 9 0 R] >>"]
    objects = objects[:5] + [b"null", b"null", b"null"] + objects[5:]
    out["javascript-open-action.pdf"] = pdf(objects)
    out["ten-thousand-pages.pdf"] = pdf(text_page_objects([b"Page %d of a very long exhibit." % i for i in range(1, 10001)]))
    side = 5800  # an RGB image of ~100 MB, uncompressed, on one page
    image = stream(b"\x80" * (side * side * 3), b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                   b"/BitsPerComponent 8" % (side, side))
    out["hundred-megabyte-page.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> "
                                           b"/Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
                                           stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (Signed below.) Tj ET"),
                                           image, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])
    out["no-font-resources.pdf"] = simple_pdf(font=False)
    out["font-not-a-font.pdf"] = body.replace(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b"(not a font dictionary)")
    out["page-tree-cycle.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                                     b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>"])
    out["page-count-lies.pdf"] = body.replace(b"/Count 1", b"/Count 2147483647")
    out["no-pages.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    out["no-catalog.pdf"] = pdf([b"<< /Type /Pages /Kids [] /Count 0 >>"])
    out["deeply-nested-arrays.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * 100000 + b"]" * 100000 + b" >>",
                                          b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])
    out["deeply-nested-dictionaries.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"<< /A " * 50000 + b"1" + b" >>" * 50000 + b" >>",
                                                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])
    bomb = zlib.compress(b"(a) Tj " * (64 << 20 >> 7) * 16, 9)  # 64 MiB of text operators from a small stream
    out["decompression-bomb.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
                                        stream(bomb, b"/Filter /FlateDecode"),
                                        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])
    out["corrupt-flate-stream.pdf"] = pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                                          stream(b"\x78\x9c" + bytes(range(256)) * 4, b"/Filter /FlateDecode")])
    out["unknown-filter.pdf"] = re.sub(rb"(/Length \d+)", rb"\1 /Filter /NoSuchDecode", body)
    out["zero-media-box.pdf"] = simple_pdf(mediabox=b"[0 0 0 0]")
    out["huge-media-box.pdf"] = simple_pdf(mediabox=b"[-1e30 -1e30 1e30 1e30]")
    out["media-box-not-numbers.pdf"] = simple_pdf(mediabox=b"[(a) (b) /c null]")
    out["rotate-45.pdf"] = simple_pdf(page_extra=b"/Rotate 45")
    out["object-number-huge.pdf"] = body.replace(b"/Contents 5 0 R", b"/Contents 2147483646 0 R")
    out["self-referencing-length.pdf"] = re.sub(rb"/Length \d+", b"/Length 5 0 R", body)
    out["nul-bytes-in-text.pdf"] = simple_pdf(b"Section 4.\\000\\000 Confidential\\000ity.")
    out["invalid-utf16-text.pdf"] = simple_pdf(b"\\376\\377\\330\\000\\330\\000 broken surrogates")
    out["pdf-2.0-header.pdf"] = simple_pdf().replace(b"%PDF-1.4", b"%PDF-2.0")
    return out


# ---------------------------------------------------------------- repositories

def git(cwd, *args, env=None):
    e = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t",
             GIT_CONFIG_NOSYSTEM="1", HOME=cwd)
    if env:
        e.update(env)
    subprocess.run(["git", *args], cwd=cwd, check=True, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_repo(path, files, commit=True):
    os.makedirs(path)
    git(path, "init", "-q", "-b", "main")
    for name, data in files.items():
        full = os.path.join(os.fsencode(path), name if isinstance(name, bytes) else name.encode())
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    if commit:
        git(path, "add", "-A")
        git(path, "commit", "-qm", "files")


def bad_repositories(root):
    """name -> path of each repository; 'good' is the control."""
    code = {"src/main.c": b"int helper(int x) { return x + 1; }\nint main(void) { return helper(1); }\n",
            "README.md": b"# A small project\n"}
    repos = {}
    make_repo(f"{root}/good", code)
    repos["good"] = f"{root}/good"

    make_repo(f"{root}/corrupt-object", code)
    objects = f"{root}/corrupt-object/.git/objects"
    for folder in sorted(os.listdir(objects)):
        if len(folder) == 2:
            victim = os.path.join(objects, folder, os.listdir(os.path.join(objects, folder))[0])
            os.chmod(victim, 0o644)
            with open(victim, "wb") as f:
                f.write(b"this is not a zlib stream")
    repos["corrupt-object"] = f"{root}/corrupt-object"

    make_repo(f"{root}/history", code)
    for i in range(3):
        with open(f"{root}/history/src/extra{i}.c", "w") as f:
            f.write(f"int extra{i}(void) {{ return {i}; }}\n")
        git(f"{root}/history", "add", "-A")
        git(f"{root}/history", "commit", "-qm", f"extra {i}")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}/history", f"{root}/shallow-clone"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    repos["shallow-clone"] = f"{root}/shallow-clone"

    make_repo(f"{root}/big-blob", code, commit=False)
    with open(f"{root}/big-blob/data.bin", "wb") as f:
        for _ in range(300):
            f.write(b"\0" * (1 << 20))
    git(f"{root}/big-blob", "-c", "core.compression=1", "add", "-A")
    git(f"{root}/big-blob", "commit", "-qm", "a 300 MiB blob")
    os.remove(f"{root}/big-blob/data.bin")  # the blob stays in history; the working tree needs no second copy
    git(f"{root}/big-blob", "checkout", "-q", "--", ".")
    repos["big-blob"] = f"{root}/big-blob"

    make_repo(f"{root}/symlink-loop", code, commit=False)
    os.symlink("b", f"{root}/symlink-loop/a")
    os.symlink("a", f"{root}/symlink-loop/b")
    os.symlink(".", f"{root}/symlink-loop/self")
    os.symlink("/dev/zero", f"{root}/symlink-loop/zeros.c")
    git(f"{root}/symlink-loop", "add", "-A")
    git(f"{root}/symlink-loop", "commit", "-qm", "loops")
    repos["symlink-loop"] = f"{root}/symlink-loop"

    make_repo(f"{root}/submodule-loop", code)
    git(f"{root}/submodule-loop", "-c", "protocol.file.allow=always", "submodule", "add", "-q",
        f"file://{root}/submodule-loop", "itself")
    git(f"{root}/submodule-loop", "commit", "-qm", "a submodule that is the repository itself")
    repos["submodule-loop"] = f"{root}/submodule-loop"

    make_repo(f"{root}/non-utf8-paths", {**code, b"src/caf\xe9.c": b"int cafe(void) { return 0; }\n",
                                          b"docs/\xff\xfe.txt": b"bytes that are no encoding\n",
                                          "src/latin1.c": "/* caf\xe9 */ int latin(void) { return 1; }\n".encode("latin-1")})
    repos["non-utf8-paths"] = f"{root}/non-utf8-paths"

    os.makedirs(f"{root}/no-commits")
    git(f"{root}/no-commits", "init", "-q")
    repos["no-commits"] = f"{root}/no-commits"

    make_repo(f"{root}/head-broken", code)
    with open(f"{root}/head-broken/.git/HEAD", "w") as f:
        f.write("ref: refs/heads/does-not-exist\n")
    repos["head-broken"] = f"{root}/head-broken"

    os.makedirs(f"{root}/gitfile-dangling")
    with open(f"{root}/gitfile-dangling/.git", "w") as f:
        f.write("gitdir: /nonexistent/worktree/.git\n")
    repos["gitfile-dangling"] = f"{root}/gitfile-dangling"
    return repos


# ---------------------------------------------------------------- models

def gguf_fields(data):
    """Offsets of the header fields and of each tensor info's fields in a GGUF v3 file."""
    pos = 24
    n_tensors, n_kv = struct.unpack_from("<QQ", data, 8)
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}

    def value(pos, kind):
        if kind == 8:
            (n,) = struct.unpack_from("<Q", data, pos)
            return pos + 8 + n
        if kind == 9:
            inner, n = struct.unpack_from("<IQ", data, pos)
            pos += 12
            for _ in range(n):
                pos = value(pos, inner)
            return pos
        return pos + sizes[kind]

    kv = {}
    for _ in range(n_kv):
        (n,) = struct.unpack_from("<Q", data, pos)
        key = data[pos + 8: pos + 8 + n].decode()
        kind_at = pos + 8 + n
        (kind,) = struct.unpack_from("<I", data, kind_at)
        kv[key] = (pos, kind_at, kind)
        pos = value(kind_at + 4, kind)
    tensors = []
    for _ in range(n_tensors):
        (n,) = struct.unpack_from("<Q", data, pos)
        name = data[pos + 8: pos + 8 + n].decode()
        pos += 8 + n
        (dims,) = struct.unpack_from("<I", data, pos)
        tensors.append({"name": name, "dims_at": pos + 4, "dims": dims, "type_at": pos + 4 + 8 * dims})
        pos += 4 + 8 * dims + 4 + 8
    return {"kv": kv, "tensors": tensors, "infos_end": pos}


def patched(data, at, fmt, *values):
    b = bytearray(data)
    struct.pack_into(fmt, b, at, *values)
    return bytes(b)


def bad_models(good):
    f = gguf_fields(good)
    t0 = f["tensors"][0]
    arch_pos, arch_kind_at, _ = f["kv"]["general.architecture"]
    out = {}
    out["zero-bytes.gguf"] = b""
    out["not-gguf.gguf"] = b"PK\x03\x04" + bytes(1000)
    out["version-99.gguf"] = patched(good, 4, "<I", 99)
    out["truncated-in-header.gguf"] = good[:f["infos_end"] // 2]
    out["truncated-in-weights.gguf"] = good[: len(good) * 3 // 4]
    out["tensor-count-absurd.gguf"] = patched(good, 8, "<Q", 1 << 60)
    out["key-count-absurd.gguf"] = patched(good, 16, "<Q", 1 << 60)
    out["string-length-absurd.gguf"] = patched(good, arch_pos, "<Q", 1 << 62)
    out["tensor-type-unknown.gguf"] = patched(good, t0["type_at"], "<I", 999)
    out["tensor-shape-absurd.gguf"] = patched(good, t0["dims_at"], "<Q", 1 << 40)
    out["tensor-dims-absurd.gguf"] = patched(good, t0["dims_at"] - 4, "<I", 1 << 30)
    out["key-type-unknown.gguf"] = patched(good, arch_kind_at, "<I", 77)
    arch = good.index(b"qwen35", arch_kind_at)
    out["architecture-unsupported.gguf"] = good[:arch] + b"llama!" + good[arch + 6:]
    return out


# ---------------------------------------------------------------- running folio

def run(cmd, **kw):
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, timeout=TIMEOUT_S, **kw)
    lines = p.stderr.decode("utf-8", "replace").rstrip("\n").split("\n")
    rss_mib = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else -1
    own = [l for l in lines[:-1] if not l.startswith(("Command exited with non-zero status", "Command terminated by signal"))]
    return p.returncode, p.stdout.decode("utf-8", "replace"), "\n".join(own), rss_mib, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folio", required=True)
    ap.add_argument("--write-tiny-model", required=True)
    ap.add_argument("--keep")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="folio-bad-inputs-")
    os.makedirs(work, exist_ok=True)
    failures = []
    counts = {"read": 0, "reported": 0}

    def verdict(kind, name, outcome, detail):
        if outcome == "FAIL":
            failures.append(f"{kind} {name}: {detail}")
        else:
            counts[outcome] += 1
        print(f"{outcome:9} {kind:6} {name}: {detail}")

    def ingest(ws, paths, what):
        """One `folio ingest` of the batch: its report, and the workspace's sources after it."""
        rc, out, err, rss, secs = run([a.folio, "--workspace", ws, "ingest", *paths, "--json"])
        print(f"ingest of {what}: exit {rc}, {secs:.1f} s, peak RSS {rss:.0f} MiB")
        report = {"problems": []}
        if rc < 0 or rc >= 128 or not out.strip():
            failures.append(f"ingest of {what} crashed or printed nothing: exit {rc}\n{err[-2000:]}")
        else:
            report = json.loads(out)
        if rss > MAX_RSS_MIB:
            failures.append(f"ingest of {what}: peak RSS {rss:.0f} MiB > {MAX_RSS_MIB}")
        rc, out, _, _, _ = run([a.folio, "--workspace", ws, "ls", "--json"])
        return report, json.loads(out) if rc == 0 else []

    try:
        # PDFs: good contracts and bad files in one folder, one ingest.
        pdfs = os.path.join(work, "pdf")
        subprocess.run([a.folio, "sample", pdfs], check=True, capture_output=True)
        good_pdfs = sorted(n for n in os.listdir(pdfs) if n.endswith(".pdf"))
        with open(os.path.join(pdfs, good_pdfs[0]), "rb") as f:
            bad = bad_pdfs(f.read())
        for name, data in bad.items():
            with open(os.path.join(pdfs, name), "wb") as f:
                f.write(data)
        hostile_names = {b"caf\xe9-latin1-name.pdf": simple_pdf(b"Section 5. A file name in Latin-1."),
                         b"line\nbreak.pdf": simple_pdf(b"Section 6. A newline in the name.")}
        for name, data in hostile_names.items():
            with open(os.path.join(os.fsencode(pdfs), name), "wb") as f:
                f.write(data)
        os.symlink("/dev/zero", os.path.join(pdfs, "link-to-dev-zero.pdf"))
        os.symlink("nowhere.pdf", os.path.join(pdfs, "dangling-link.pdf"))
        os.makedirs(os.path.join(pdfs, "folder-named.pdf"))
        names = list(bad) + [os.fsdecode(n) for n in hostile_names] + ["link-to-dev-zero.pdf", "dangling-link.pdf"]
        report, listed = ingest(os.path.join(work, "ws-pdf"), [pdfs], f"{len(names)} bad and {len(good_pdfs)} good PDFs")
        problems = {os.path.basename(p["path"]) for p in report.get("problems", [])}
        docs = {os.path.basename(d["path"]): d for source in listed for d in source["items"] if d["status"] != "error"}
        for name in good_pdfs:
            d = docs.get(name)
            ok = d is not None and name not in problems
            verdict("pdf", name, "read" if ok else "FAIL", "good control file read" if ok else "a good file was lost")
        for name in names:
            # A name that is not UTF-8 comes back escaped: match it by what follows its last stray byte.
            tail = re.split("[\udc80-\udcff]", name)[-1]
            p = next((p for p in report.get("problems", []) if p["path"].endswith(tail)), None)
            if p and p.get("reason"):
                status = "read" if name in docs else "reported"
                verdict("pdf", name, status, f'{p["status"]}: {p["reason"]}')
            elif name in docs:
                verdict("pdf", name, "read", f'{docs[name].get("pages", "?")} pages')
            else:
                verdict("pdf", name, "FAIL", "neither read nor reported")
        # Repositories: the good one and the bad ones in one ingest.
        repos = bad_repositories(os.path.join(work, "repos"))
        report, listed = ingest(os.path.join(work, "ws-repo"), list(repos.values()), f"{len(repos) - 1} bad repositories and a good one")
        sources = {os.path.basename(source["location"]): source for source in listed}
        for name, path in repos.items():
            said = [p for p in report.get("problems", []) if p["path"] == path or p["path"].startswith(path + "/")]
            source = sources.get(name)
            if name == "good":
                ok = source is not None and not said and source["documents"] == 2
                verdict("repo", name, "read" if ok else "FAIL", "good control repository read" if ok else "lost or damaged")
            elif said:
                verdict("repo", name, "read" if source else "reported", "; ".join(f'{p["status"]}: {p["reason"]}' for p in said)[:300])
            elif source is not None:
                verdict("repo", name, "read", f'{source["documents"]} files')
            else:
                verdict("repo", name, "FAIL", "neither read nor reported")
        # Models: each one alone through `engine info`.
        good_model = os.path.join(work, "good.gguf")
        subprocess.run([a.write_tiny_model, good_model, "--variant", "qwen35"], check=True)
        with open(good_model, "rb") as f:
            models = bad_models(f.read())
        for name, data in models.items():
            path = os.path.join(work, name)
            with open(path, "wb") as f:
                f.write(data)
            rc, out, err, rss, secs = run([a.folio, "engine", "info", path])
            if rc < 0 or rc >= 128:
                verdict("model", name, "FAIL", f"crashed: exit {rc} {err[-300:]}")
            elif rc == 0:
                verdict("model", name, "FAIL", "accepted a broken model")
            elif path not in err:
                verdict("model", name, "FAIL", f"the error does not name the file: {err.strip()[:200]}")
            elif rss > MAX_RSS_MIB:
                verdict("model", name, "FAIL", f"peak RSS {rss:.0f} MiB")
            else:
                verdict("model", name, "reported", err.strip().split("\n")[-1].replace(path, "FILE")[:200])
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    total = counts["read"] + counts["reported"] + len(failures)
    print(f"\n{total} inputs: {counts['read']} read, {counts['reported']} reported with a reason, {len(failures)} failures")
    for f in failures:
        print("FAILURE:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
