#!/usr/bin/env python3
"""Compares a cargo-mutants run with the mutants accepted as harmless.

usage: check.py MUTANTS_OUT ACCEPTED

MUTANTS_OUT is the `mutants.out` folder of a run; ACCEPTED lists accepted mutants, one per
line, as cargo-mutants names them without line and column (`src/x.rs: replace ...`),
followed by `  # why it is harmless`. Prints the score, every surviving mutant that is not
accepted, and accepted entries that no longer survive (to prune). Exits 1 when a mutant
survives that is not accepted. A mutant whose tests time out is caught: the suite did not
pass (a run that hangs fails CI as surely as a red test). Standard library only.
"""
import re
import sys
from pathlib import Path

PLACE = re.compile(r"^(\S+?\.rs):\d+:\d+: ")


def names(path):
    """Mutant names in a cargo-mutants list file, without line and column."""
    if not path.exists():
        return []
    return [PLACE.sub(r"\1: ", line.strip()) for line in path.read_text().splitlines() if line.strip()]


def main():
    out, accepted_file = Path(sys.argv[1]), Path(sys.argv[2])
    accepted = {}
    for line in accepted_file.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, why = line.partition("  # ")
        if not why.strip():
            sys.exit(f"{accepted_file}: no reason given for: {line}")
        accepted[name.strip()] = why.strip()
    caught = names(out / "caught.txt")
    missed = names(out / "missed.txt")
    timeouts = names(out / "timeout.txt")
    unviable = names(out / "unviable.txt")
    survivors = missed
    caught = caught + timeouts
    tested = len(caught) + len(survivors)
    new = [m for m in survivors if m not in accepted]
    # Accepted entries are pruned only against what this run tested (an --in-diff or
    # filtered run tests a part of the modules).
    ran = set(caught) | set(survivors) | set(unviable)
    stale = [m for m in accepted if m in ran and m not in survivors]
    score = 100 * len(caught) / tested if tested else 100
    print(f"mutants: {tested} tested ({len(unviable)} unviable): {len(caught)} caught, "
          f"{len(missed)} missed ({len(timeouts)} more timed out: caught); {len(survivors) - len(new)} "
          f"of the survivors accepted as harmless")
    print(f"score: {score:.1f}% caught; {100 * (tested - len(new)) / tested if tested else 100:.1f}% "
          f"caught or accepted")
    for m in stale:
        print(f"accepted but no longer surviving (remove it): {m}")
    for m in new:
        print(f"SURVIVED: {m}")
    sys.exit(1 if new else 0)


if __name__ == "__main__":
    main()
