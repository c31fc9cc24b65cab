#!/usr/bin/env python3
"""Times `argmap html` and the site it writes in headless Chromium.

usage: html_bench.py ARGMAP SHARED WORKDIR [--runs N]

1. `argmap html` on the bundled maps (ROOT: the current folder), Graphviz's layout of
   every diagram included, each run into a new folder: target < 2 s (median).
2. A 500-claim map (one map of SHARED/bench/gen_corpus.py's corpus) built into a site,
   then its page opened from file:// in headless Chromium (bench/html_cdp.py) and made to
   work: the time from the navigation to the load event (the browser's own figure:
   scripts run, diagrams set up for panning), plus the time from a mouse click on a
   claim's box in the whole map to its panel showing (measured from here, over the
   DevTools pipe, so a little over the browser's). Their sum is the page's time to
   interactive: target < 1 s (median of runs, each in a fresh page).

Exits 1 if a target is missed. Standard library only; needs Graphviz and Chromium.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from html_cdp import Browser  # noqa: E402

BUILD_TARGET_S = 2.0
INTERACTIVE_TARGET_MS = 1000.0


def html(argmap, root, out):
    start = time.perf_counter()
    done = subprocess.run([argmap, "html", str(root), "-o", str(out)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"argmap html {root} failed ({done.returncode}): {done.stderr.strip()}")
    return wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("argmap")
    ap.add_argument("shared")
    ap.add_argument("workdir")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    argmap = os.path.abspath(a.argmap)
    work = pathlib.Path(a.workdir).resolve() / "html"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    missed = False

    # 1. The bundled maps, Graphviz included, into a new folder each time (one warm-up).
    html(argmap, ".", work / "warm-up")
    times = [html(argmap, ".", work / f"bundled-{i}") for i in range(a.runs)]
    files = sum(1 for p in (work / "bundled-0").rglob("*") if p.is_file())
    median = statistics.median(times)
    ok = median < BUILD_TARGET_S
    missed |= not ok
    print(f"argmap html, the bundled maps ({files} files, Graphviz included), {a.runs} runs:"
          f" median {median:.3f} s, max {max(times):.3f} s"
          f"   (target: < {BUILD_TARGET_S} s) {'ok' if ok else 'MISSED'}")

    # 2. A 500-claim map's page in Chromium.
    corpus = work / "corpus-500"
    subprocess.run([sys.executable, os.path.join(a.shared, "bench", "gen_corpus.py"), str(corpus),
                    "--claims", "500", "--refs", "200", "--maps", "1"], check=True,
                   stdout=subprocess.DEVNULL)
    site = work / "site-500"
    built = html(argmap, corpus, site)
    page = site / "maps" / "map0000.html"
    print(f"argmap html, a 500-claim map: {built:.3f} s; its page {page.stat().st_size / 1e6:.1f} MB"
          f" (no target)")
    loads, clicks, totals = [], [], []
    with Browser(1280, 900) as browser:
        for run in range(a.runs + 1):
            browser.open("about:blank")
            browser.open(page.as_uri())
            load = browser.eval(
                "performance.getEntriesByType('navigation')[0].loadEventEnd")
            # A claim's box in view in the whole map (the page brings the first
            # conclusion into view; the box is the first one drawn inside the frame).
            at = browser.eval("""(() => {
              document.getElementById('map').scrollIntoView();
              const f = document.querySelector('#map .diagram').getBoundingClientRect();
              for (const a of document.querySelectorAll('#map svg a')) {
                const r = a.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                if (x > f.left && x < f.right && y > f.top && y < f.bottom && y < innerHeight) {
                  const hit = document.elementFromPoint(x, y);
                  if (hit && a.contains(hit)) {
                    return [x, y, (a.getAttribute('href') || a.getAttribute('xlink:href')).split('#')[1]];
                  }
                }
              }
              return null; })()""")
            if not at:
                sys.exit("no claim's box in view to click")
            x, y, panel = at
            start = time.perf_counter()
            for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
                browser.call("Input.dispatchMouseEvent",
                             {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
            browser.wait_for(
                f"getComputedStyle(document.getElementById('{panel}')).display !== 'none'")
            click = (time.perf_counter() - start) * 1000
            if run == 0:
                continue  # warm-up
            loads.append(load)
            clicks.append(click)
            totals.append(load + click)
        exceptions = [m for _, m in browser.events if m["method"] == "Runtime.exceptionThrown"]
    if exceptions:
        sys.exit(f"the page threw: {exceptions[0]}")
    median = statistics.median(totals)
    ok = median < INTERACTIVE_TARGET_MS
    missed |= not ok
    print(f"a 500-claim map's page in headless Chromium, {a.runs} runs: load event"
          f" {statistics.median(loads):.0f} ms + click to panel {statistics.median(clicks):.0f} ms"
          f" = {median:.0f} ms (max {max(totals):.0f} ms)"
          f"   (target: < {INTERACTIVE_TARGET_MS:.0f} ms) {'ok' if ok else 'MISSED'}")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
