"""Headless Chromium over the DevTools protocol, through a pipe (--remote-debugging-pipe:
JSON messages ended by NUL, read from descriptor 3, written to descriptor 4), for the
site's benchmark and screenshots. No port, no WebSocket, standard library only."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

PATIENCE = 90.0


class Browser:
    def __init__(self, width=1280, height=900, binary="chromium"):
        if shutil.which(binary) is None:
            raise SystemExit(f"error: {binary} is missing: install the chromium package")
        self.profile = tempfile.mkdtemp(prefix="argmap-chromium-")
        self.proc = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null', binary,
             "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-extensions",
             "--hide-scrollbars", "--mute-audio", "--proxy-server=http://127.0.0.1:9",
             "--remote-debugging-pipe", f"--window-size={width},{height}",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""
        self.next_id = 0
        self.session = None
        self.events = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Network.enable"):
            self.call(domain)
        # A headless page has no focus of its own: without this, focus events never fire.
        self.call("Emulation.setFocusEmulationEnabled", {"enabled": True})

    def close(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _receive(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise SystemExit("error: Chromium said nothing in time")
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                raise SystemExit("error: Chromium closed its pipe")
            self.buf += chunk
        message, self.buf = self.buf.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None):
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session:
            command["sessionId"] = self.session
        self.proc.stdin.write(json.dumps(command).encode() + b"\0")
        self.proc.stdin.flush()
        deadline = time.monotonic() + PATIENCE
        while True:
            message = self._receive(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise SystemExit(f"error: {method}: {message['error']}")
                return message["result"]
            if "method" in message:
                self.events.append((time.monotonic(), message))

    def eval(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in result:
            raise SystemExit(f"error: {expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression):
        deadline = time.monotonic() + PATIENCE
        while self.eval(expression) is not True:
            if time.monotonic() > deadline:
                raise SystemExit(f"error: never true: {expression}")
            time.sleep(0.005)

    def wait_event(self, name, first=0):
        """Waits for an event `name` among those from the index `first` on."""
        deadline = time.monotonic() + PATIENCE
        while True:
            for at, message in self.events[first:]:
                if message["method"] == name:
                    return at
            if time.monotonic() > deadline:
                raise SystemExit(f"error: no {name}")
            self.eval("1")

    def open(self, url):
        first = len(self.events)
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise SystemExit(f"error: {url}: {result['errorText']}")
        if result.get("loaderId"):
            self.wait_event("Page.loadEventFired", first)
        self.wait_for("document.readyState === 'complete'")

    def screenshot(self, path, full_page=False):
        params = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            width, height = self.eval(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        data = self.call("Page.captureScreenshot", params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
