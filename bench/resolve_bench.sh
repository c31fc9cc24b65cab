#!/usr/bin/env bash
# argmap's network benchmark: `argmap resolve` against bench/slow_server.py, a local resolver
# and agency answering every request after 50 ms. Prints each figure beside its target and
# exits 1 if one is missed.
#
#   existence only, 2,000 DOIs, --concurrency 32    within 1.3 x 2000 x 50 ms / 32 = 4.06 s
#   metadata, 200 DOIs, agency at 20 req/s, 2 at once   zero 429s, within 1.2 x 10 s = 12 s
#   rerun with a warm cache                         no request, under 100 ms
#   Crossref, 2,000 DOIs (existence, metadata, notices), REST API at 10 req/s, 3 at once:
#     zero 429s, within 1.3 x the ideal for the batches it needs
#     (ideal: (requests - 1) / 10 s + 50 ms, the declared rate being the bound)
#
# usage: bench/resolve_bench.sh        (ARGMAP=path/to/argmap to skip the release build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
argmap=${ARGMAP:-}
if [ -z "$argmap" ]; then
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
    argmap="$repo/target/release/argmap"
fi

work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/slow_server.py" --latency 50 --rate 20 --at-once 2 --ports-file "$work/ports" &
server=$!
for _ in $(seq 100); do [ -s "$work/ports" ] && break; sleep 0.05; done
read -r resolver_port _ crossref_port < "$work/ports"
resolver="http://127.0.0.1:$resolver_port"
crossref="http://127.0.0.1:$crossref_port"
python3 "$here/doi_corpus.py" "$work/existence" 2000
python3 "$here/doi_corpus.py" "$work/metadata" 200

stats() { python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('$resolver/__stats').read().decode())"; }
reset() { python3 -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('$resolver/__reset', method='POST'))"; }
stat() { stats | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))"; }

failed=0
# run NAME LIMIT_SECONDS ROOT ARGS...: times one `argmap resolve`, checks every DOI verified.
run() {
    local name=$1 limit=$2 root=$3
    shift 3
    reset
    local start end
    start=$(date +%s.%N)
    "$argmap" resolve "$root" --resolver "$resolver" --format json "$@" > "$work/out.json"
    end=$(date +%s.%N)
    seconds=$(python3 -c "print(f'{$end - $start:.3f}')")
    verified=$(python3 -c "import json; print(json.load(open('$work/out.json'))['summary']['dois']['verified'])")
    requests=$(stat requests)
    refused=$(stat refused)
    local verdict=ok
    if python3 -c "import sys; sys.exit(0 if $seconds <= $limit else 1)"; then :; else verdict=SLOW; fi
    [ "$refused" = 0 ] || verdict="$verdict, $refused x 429"
    printf '%-34s %8s s  (limit %6s s)  %5s verified  %5s requests  %s\n' \
        "$name" "$seconds" "$limit" "$verified" "$requests" "$verdict"
    [ "$verdict" = ok ] || failed=1
}

run "existence, 2000 DOIs, conc. 32" 4.06 "$work/existence" --no-metadata --no-updates --concurrency 32
run "metadata, 200 DOIs, 20/s, 2 at once" 12 "$work/metadata" --no-updates --concurrency 8
run "existence, warm cache" 0.1 "$work/existence" --no-metadata --no-updates --concurrency 32
[ "$requests" = 0 ] || { echo "the warm run sent $requests requests"; failed=1; }
run "metadata, warm cache" 0.1 "$work/metadata" --no-updates --concurrency 8
[ "$requests" = 0 ] || { echo "the warm run sent $requests requests"; failed=1; }

# Crossref in batches: the limit is the ideal for the requests the batching needs, which
# are counted from the first (cold) run and printed.
rm -rf "$work/existence/.argmap"
reset
"$argmap" resolve "$work/existence" --resolver "$resolver" --crossref-api "$crossref" \
    --concurrency 8 --format json > "$work/out.json"
batches=$(stat crossref)
ideal=$(python3 -c "print(f'{($batches - 1) / 10 + 0.05:.3f}')")
limit=$(python3 -c "print(f'{1.3 * ($batches - 1) / 10 + 1.3 * 0.05:.3f}')")
echo "Crossref batches for 2000 DOIs: $batches requests (ideal $ideal s)"
rm -rf "$work/existence/.argmap"
run "Crossref, 2000 DOIs, 10/s, 3 at once" "$limit" "$work/existence" \
    --crossref-api "$crossref" --concurrency 8
[ "$(stat handle)" = 0 ] || { echo "the Handle API was asked about Crossref DOIs"; failed=1; }
exit $failed
