"""A minimal clangd client over LSP stdio JSON-RPC (no pip packages): definition, declaration, hover, references.

Positions given and returned here are 0-based (line, UTF-16 column), as LSP counts them.
"""
import json
import os
import subprocess
import threading
import time
import urllib.parse
import urllib.request


def uri_of(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def path_of(uri):
    return urllib.request.url2pathname(urllib.parse.urlparse(uri).path)


class Clangd:
    def __init__(self, root, compile_commands_dir, clangd="clangd", jobs=2, log=None):
        self.root = os.path.abspath(root)
        args = [clangd, "--compile-commands-dir=" + compile_commands_dir, "--background-index", "-j=%d" % jobs,
                "--log=error", "--pch-storage=memory", "--header-insertion=never", "--limit-references=0",
                "--limit-results=0"]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(log or os.devnull, "wb"))
        self.next_id = 0
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.responses = {}
        self.progress = {}  # token -> last kind ('begin', 'report', 'end')
        self.opened = set()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": uri_of(self.root),
            "capabilities": {"window": {"workDoneProgress": True},
                             "textDocument": {"hover": {"contentFormat": ["plaintext"]},
                                              "definition": {"linkSupport": False},
                                              "declaration": {"linkSupport": False}}},
            "initializationOptions": {}})
        self.notify("initialized", {})

    def _send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self):
        f = self.proc.stdout
        while True:
            length = None
            while True:
                line = f.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(f.read(length))
            if "id" in msg and "method" in msg:  # a request from the server: say yes
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            with self.cond:
                if "id" in msg:
                    self.responses[msg["id"]] = msg
                elif msg.get("method") == "$/progress":
                    self.progress[str(msg["params"]["token"])] = msg["params"]["value"].get("kind")
                self.cond.notify_all()

    def request(self, method, params, timeout=120):
        with self.lock:
            self.next_id += 1
            rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.time() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError(method)
                self.cond.wait(left)
            msg = self.responses.pop(rid)
        if "error" in msg:
            return None
        return msg.get("result")

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for_index(self, first_file, timeout=1800, quiet=60.0):
        """Open a file (clangd loads the compilation database, and starts the background index, on the first one),
        then wait until the index's progress has begun and ended. Returns the seconds waited."""
        start = time.time()
        self.open(first_file)
        self.request("textDocument/documentSymbol", {"textDocument": {"uri": uri_of(first_file)}})
        seen = False
        while time.time() - start < timeout:
            with self.lock:
                state = dict(self.progress)
            if state:
                seen = True
            if seen and all(k == "end" for k in state.values()):
                return time.time() - start
            if not seen and time.time() - start > quiet:
                return time.time() - start
            time.sleep(0.5)
        return time.time() - start

    def open(self, path):
        path = os.path.abspath(path)
        if path in self.opened:
            return
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
        lang = "c" if path.endswith((".c", ".h")) else "cpp"
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri_of(path), "languageId": lang, "version": 1,
                                                               "text": text}})
        self.opened.add(path)

    def close_file(self, path):
        path = os.path.abspath(path)
        if path in self.opened:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(path)}})
            self.opened.discard(path)

    def _pos(self, path, line, col):
        self.open(path)
        return {"textDocument": {"uri": uri_of(path)}, "position": {"line": line, "character": col}}

    @staticmethod
    def _locations(result):
        if not result:
            return []
        if isinstance(result, dict):
            result = [result]
        out = []
        for loc in result:
            uri = loc.get("uri") or loc.get("targetUri")
            rng = loc.get("range") or loc.get("targetSelectionRange")
            out.append((path_of(uri), rng["start"]["line"], rng["start"]["character"]))
        return out

    def definition(self, path, line, col):
        return self._locations(self.request("textDocument/definition", self._pos(path, line, col)))

    def declaration(self, path, line, col):
        return self._locations(self.request("textDocument/declaration", self._pos(path, line, col)))

    def hover(self, path, line, col):
        r = self.request("textDocument/hover", self._pos(path, line, col))
        if not r:
            return None, None
        contents = r.get("contents")
        text = contents.get("value") if isinstance(contents, dict) else str(contents)
        return text, r.get("range")

    def references(self, path, line, col):
        p = self._pos(path, line, col)
        p["context"] = {"includeDeclaration": True}
        return self._locations(self.request("textDocument/references", p))

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
