#!/usr/bin/env python3
"""Times `argmap check` against the baseline script a user would write instead, and `argmap dot`.

usage: check_bench.py ARGMAP SHARED WORKDIR [--runs N]

Generates the corpus of SHARED/bench/gen_corpus.py (100,000 claims, 20,200 references) in
WORKDIR, runs argmap and SHARED/bench/baseline_check.py on it in turn, and prints medians,
the ratio and argmap's peak memory; then checks growth on a corpus 4x larger. Every ratio
is the median of ratios of runs made in turn (A B A B ...), so that a machine whose speed
drifts (a shared one) moves both sides of each ratio alike. Then the
shapes that were once quadratic ("time bombs") are timed against fixed bounds; and the
examples built beside ARGMAP (`cargo build --release --examples`) measure the floor of a
check (the YAML parser's events alone), a re-analysis after a one-file change, and quote
checking. The script exits 1 if a target is missed. Standard library only (the baseline needs PyYAML, which
`make bench` installs when missing).
"""
import argparse
import os
import re
import statistics
import shutil
import subprocess
import sys
import time


def run(cmd):
    """Wall seconds and peak RSS (MiB) of one run; output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit code {code}")
    return wall, usage.ru_maxrss / 1024


def paired(a, b, runs):
    """Runs commands a and b in turn, `runs` times each after one warm-up run of each, and
    returns the median of a's wall times, of b's, and of the ratios a/b taken pair by
    pair: pairing keeps the ratio true when the machine's speed drifts during the runs
    (other work on a shared machine), where a ratio of medians taken apart would not."""
    run(a)
    run(b)
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        ta, tb = run(a)[0], run(b)[0]
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


def corpus(shared, path, scale):
    if not os.path.isdir(os.path.join(path, "arguments")):
        print(f"generating corpus x{scale} in {path} ...", flush=True)
        subprocess.run([sys.executable, os.path.join(shared, "bench", "gen_corpus.py"), path,
                        "--claims", str(100_000 * scale), "--refs", str(20_000 * scale),
                        "--maps", str(200 * scale)], check=True)
    return path


def write_project(path, references, claims_yaml):
    """A ROOT with one reference file and one map."""
    os.makedirs(os.path.join(path, "arguments"), exist_ok=True)
    os.makedirs(os.path.join(path, "references"), exist_ok=True)
    with open(os.path.join(path, "references", "refs.yaml"), "w") as fh:
        fh.write("references:\n")
        for ref in references:
            fh.write(f"  - {{id: {ref}, type: book, title: T}}\n")
    with open(os.path.join(path, "arguments", "m.yaml"), "w") as fh:
        fh.write(f"title: Bomb\nsource: {references[0]}\nclaims:\n{claims_yaml}")
    return path


def many_citations(workdir):
    """One claim of 790 KB: `[@a] [@zz]` repeated, folded over lines (so that positions
    are found by walking the scalar, not by the verbatim shortcut)."""
    line = "[@a] [@zz]"
    text = "\n      ".join([line] * (790_000 // (len(line) + 7)))
    return write_project(os.path.join(workdir, "bomb-citations"), ["a"],
                         f"  - id: x\n    text: >-\n      {text}\n")


def many_misses(workdir):
    """40,000 dangling links and 20,000 unknown keys against 20,000 claims and references:
    every miss wants a did-you-mean."""
    refs = [f"ref{i:05d}" for i in range(20_000)]
    claims = []
    for i in range(20_000):
        claims.append(f"  - id: claim-{i:05d}\n    text: C [@{refs[i]}]\n"
                      f"    supports: [missing-{i:05d}, gone-{i:05d}]\n"
                      f"    cites: [\"@unknown-{i:05d}\"]\n")
    return write_project(os.path.join(workdir, "bomb-misses"), refs, "".join(claims))


def contradictions(workdir):
    """20,000 claims in one chain of supports, each attacking the claim 50 above it: every
    attack asks whether its target is reachable through supports."""
    n = 20_000
    claims = [f"  - id: c{i}\n    text: C [@a]\n" + (f"    supports: [c{i + 1}]\n" if i + 1 < n else "")
              + (f"    attacks: [c{i + 50}]\n" if i + 50 < n else "") for i in range(n)]
    return write_project(os.path.join(workdir, "bomb-contradictions"), ["a"], "".join(claims))


def time_bombs(argmap, workdir, runs):
    """Shapes that were quadratic: (name, project, bound in seconds)."""
    missed = False
    print("\ntime bombs (once quadratic; bounds fixed):")
    for name, root, bound in [
        ("one claim of 790 KB of citations", many_citations(workdir), 1.0),
        ("40,000 dangling links + 20,000 unknown keys", many_misses(workdir), 2.0),
        ("20,000 attacks along a chain of supports", contradictions(workdir), 2.0),
    ]:
        cmd = [argmap, "check", root, "--format", "json"]
        run(cmd)
        median = statistics.median(run(cmd)[0] for _ in range(runs))
        ok = median < bound
        missed |= not ok
        print(f"  {name:45} {median:7.3f} s   (bound: < {bound} s) {'ok' if ok else 'MISSED'}")
    return missed


def examples(argmap, corpus_root, runs):
    """The examples' figures against their targets; returns whether one was missed."""
    ex = os.path.join(os.path.dirname(os.path.abspath(argmap)), "examples")
    missed = False
    events = [os.path.join(ex, "events"), corpus_root]
    check = [argmap, "check", corpus_root, "--format", "json"]
    ours, floor, ratio = paired(check, events, 2 * runs + 1)
    ok = ratio <= 1.25
    missed |= not ok
    print(f"\nfloor: the YAML parser's events alone {floor:.3f} s; argmap check {ours:.3f} s is"
          f" {ratio:.2f}x that   (target: <= 1.25x; run in turn, the ratio's median) {'ok' if ok else 'MISSED'}")
    # The corpus's locators are drawn at random, so most fall outside their works' pages:
    # tens of thousands of findings and ~50 MB of JSON the target was not set with.
    quiet = [argmap, "check", corpus_root, "--format", "json", "--allow", "locator-out-of-range"]
    quiet_median, _, quiet_ratio = paired(quiet, events, runs)
    print(f"  the same check with --allow locator-out-of-range {quiet_median:.3f} s ="
          f" {quiet_ratio:.2f}x the floor   (context: the findings' share)")
    # A language server's case: a host re-analyses after one file changes. The bundled maps
    # are copied first (the example edits a map and puts it back).
    bundled = os.path.join(os.path.dirname(corpus_root.rstrip("/")), "bundled")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shutil.rmtree(bundled, ignore_errors=True)
    for part in ("arguments", "references", "sources"):
        if os.path.isdir(os.path.join(repo, part)):
            shutil.copytree(os.path.join(repo, part), os.path.join(bundled, part))
    if os.path.exists(os.path.join(repo, "argmap.toml")):
        shutil.copy(os.path.join(repo, "argmap.toml"), bundled)
    for root, what, target_ms, reps in ((corpus_root, "the 100,000-claim corpus", 100, runs),
                                        (bundled, "the bundled maps", 5, 5 * runs)):
        out = subprocess.run([os.path.join(ex, "reanalyze"), root, str(reps)],
                             capture_output=True, text=True, check=True).stdout
        again = float(re.search(r"re-analysis after a one-file change ([0-9.]+) ms", out).group(1))
        ok = again < target_ms
        missed |= not ok
        print(f"re-analysis, {what}: {out.strip()}   (target: < {target_ms} ms) {'ok' if ok else 'MISSED'}")
    out = subprocess.run([os.path.join(ex, "quotes")], capture_output=True, text=True,
                         check=True).stdout
    total = float(re.search(r"new \+ find: ([0-9.]+) ms", out).group(1))
    ok = total < 500
    missed |= not ok
    print(f"quotes: 10,000 quotes against 1 MB of text, index and search {total:.1f} ms"
          f"   (target: < 500 ms) {'ok' if ok else 'MISSED'}")
    for line in out.strip().splitlines():
        print(f"  {line}")
    return missed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("argmap")
    ap.add_argument("shared")
    ap.add_argument("workdir")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    small = corpus(a.shared, os.path.join(a.workdir, "corpus-1x"), 1)
    argmap = [a.argmap, "check", small, "--format", "json"]
    baseline = [sys.executable, os.path.join(a.shared, "bench", "baseline_check.py"), small]
    run(argmap)  # warm the page cache
    ours, theirs, peaks = [], [], []
    for _ in range(a.runs):
        wall, peak = run(argmap)
        ours.append(wall)
        peaks.append(peak)
        theirs.append(run(baseline)[0])
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print(f"\ncheck, 100,000 claims / 20,200 references, {a.runs} runs each (median):")
    print(f"  argmap check      {mo:7.3f} s   peak {max(peaks):6.1f} MiB")
    print(f"  baseline_check.py {mt:7.3f} s")
    faster = statistics.median(t / o for o, t in zip(ours, theirs))
    print(f"  ratio             {faster:7.1f}x faster   (target: >= 15x, < 1.0 s, < 500 MiB;"
          f" run in turn, the ratio's median)")

    human = [a.argmap, "check", small]
    run(human)
    human_times = [run(human)[0] for _ in range(max(3, a.runs // 2))]
    print(f"  argmap check (human report, the default) {statistics.median(human_times):7.3f} s"
          f"   (snippets of every finding; no target)")

    dot = [a.argmap, "dot", small, "-o", os.path.join(a.workdir, "all.dot")]
    run(dot)
    dot_times = [run(dot)[0] for _ in range(a.runs)]
    print(f"\ndot, same corpus: argmap dot -o all.dot {statistics.median(dot_times):.3f} s   (target: < 1.5 s)")

    large = corpus(a.shared, os.path.join(a.workdir, "corpus-4x"), 4)
    big = [a.argmap, "check", large, "--format", "json"]
    mb, m1, growth = paired(big, argmap, max(3, a.runs // 2))
    print(f"\ngrowth: 4x corpus {mb:.3f} s = {growth:.2f}x the 1x time ({m1:.3f} s)"
          f"   (target: <= 4.4x; run in turn, the ratio's median)")

    missed = time_bombs(a.argmap, a.workdir, a.runs)
    missed |= examples(a.argmap, small, a.runs)
    if missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
