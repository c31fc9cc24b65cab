#!/usr/bin/env python3
"""The language server as an editor meets it: `argmap lsp` started on ROOT, a map opened,
then edits that each change its findings (a citation key mistyped, then put right, one
character each time), timed from the change sent to the map's diagnostics received; and
completion after `[@`, timed from the request to its answer. Prints the medians and the
server's peak memory, against the targets given.

usage: lsp_bench.py ARGMAP ROOT EDITS DIAGNOSTICS_MS COMPLETION_MS MEMORY_MIB
Exits 1 when a target is missed. Python's standard library only.
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import queue
import time
from pathlib import Path


class Server:
    def __init__(self, argmap, root):
        self.proc = subprocess.Popen([argmap, "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": Path(root).resolve().as_uri(),
                                    "capabilities": {}})
        self.notify("initialized", {})

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.startswith(b"Content-Length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(out.read(length)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=600)
            if message.get("id") == self.next_id:
                return message.get("result")

    def diagnostics(self, uri):
        while True:
            message = self.messages.get(timeout=600)
            if message.get("method") == "textDocument/publishDiagnostics" and \
                    message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]

    def peak_mib(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=60)


def main():
    argmap, root, edits, diag_ms, comp_ms, mem_mib = sys.argv[1:7]
    edits, diag_ms, comp_ms, mem_mib = int(edits), float(diag_ms), float(comp_ms), float(mem_mib)
    maps = sorted((Path(root) / "arguments").glob("*.yaml"))
    path = maps[0]
    text = path.read_text()
    uri = path.resolve().as_uri()
    key = text.index("[@") + 2
    server = Server(argmap, root)
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    # A request is answered after the analysis it waits for, and after every diagnostic
    # that analysis publishes: then the first edit's diagnostics are the next ones.
    server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    # One character each time: the first key's first letter doubled, then put back.
    typo = text[:key] + text[key] + text[key:]
    times = []
    for i in range(edits):
        changed = typo if i % 2 == 0 else text
        start = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": i + 2},
            "contentChanges": [{"text": changed}]})
        server.diagnostics(uri)
        times.append((time.perf_counter() - start) * 1000)
    line = text[:key].count("\n")
    character = len(text[:key].rsplit("\n", 1)[-1].encode("utf-16-le")) // 2
    completions = []
    for _ in range(edits):
        start = time.perf_counter()
        result = server.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        completions.append((time.perf_counter() - start) * 1000)
        assert result and result["items"], result
    peak = server.peak_mib()
    server.close()
    diag, comp = statistics.median(times), statistics.median(completions)
    missed = False
    for what, got, target, unit in (("diagnostics after a one-character edit", diag, diag_ms, "ms"),
                                    ("completion after `[@`", comp, comp_ms, "ms"),
                                    ("server peak memory", peak, mem_mib, "MiB")):
        ok = got < target
        missed |= not ok
        print(f"  {what}: {got:.1f} {unit}   (target: < {target:g} {unit}) {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
