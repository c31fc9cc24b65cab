# argmap: the two commands a newcomer needs are `make check` and `make test`.

SHARED ?= ../shared
CARGO  ?= cargo
BENCH_DIR ?= target/bench
ARGMAP := target/release/argmap

.PHONY: check test lint bench build deps graphviz chromium diagrams site mutants clean

## make check: build argmap, then check the bundled maps and references.
check: build
	$(ARGMAP) check .

build:
	$(CARGO) build --release --locked

## make test: formatting and clippy (`make lint`: the library's no-I/O lints among them), then
## the whole test suite (installs Graphviz, pandoc, jq, Neovim, Chromium, crustabri and
## @argdown/cli, which the tests run).
test: lint deps
	$(CARGO) test --locked

## Graphviz's `dot` renders diagrams in the tests, the citation reader is held to
## pandoc's, the GitHub Action's check step (run by the tests) uses jq, and the site's
## tests open it in headless Chromium; install them from Debian when missing.
deps: graphviz chromium
	@$(call need,jq,jq,the tests run the GitHub Action's check step and it uses jq)
	@$(call need,pandoc,pandoc,the citation tests compare argmap with pandoc)
	@$(call need,nvim,neovim,the language server's tests drive Neovim)
	@# crustabri (GPL; run as a program, never linked) is the ICCMA solver argmap eval's
	@# grounded labels are compared with: built from crates.io, about 4 minutes on 2 cores.
	@command -v crustabri >/dev/null 2>&1 || { \
	  echo "installing crustabri (the eval tests compare grounded labels with it)"; \
	  $(CARGO) install --locked --quiet --version 1.1.1 crustabri; }
	@# Argdown's own reader (npm's @argdown/cli) loads argmap's Argdown export in the tests.
	@command -v argdown >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 || { \
	  echo "installing @argdown/cli (the export tests load argmap's Argdown with it)"; \
	  npm install --global --silent @argdown/cli@1.7.5; }

chromium:
	@$(call need,chromium,chromium,the site's tests and benchmark open it in headless Chromium)

graphviz:
	@$(call need,dot,graphviz,diagrams are rendered with dot)

# $(call need,COMMAND,PACKAGE,WHY): install PACKAGE with apt-get when COMMAND is missing.
need = command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(2) ($(3))"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "error: $(3): install the $(2) package" >&2; exit 1; \
	  fi; }

## make lint: formatting and clippy, as CI would like them.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings
	@# The library alone, without the network and the command's crates (what an editor
	@# plugin or another tool links): it must build, warning-free.
	$(CARGO) clippy --lib --no-default-features --locked -- -D warnings

## make bench: argmap check against the baseline script on the generated corpus, the
## once-quadratic shapes, the examples (parse floor, re-analysis, quotes), the language
## server (an edit's diagnostics, completion, memory), DOI resolution (the resolver, and
## Crossref in batches) against local slow servers, and the site (argmap html on the
## bundled maps with Graphviz; a 500-claim map's page made interactive in headless Chromium).
bench: build graphviz chromium
	$(CARGO) build --release --locked --examples
	@python3 -c "import yaml" 2>/dev/null || python3 -m pip install --quiet pyyaml
	@# Both run; a missed target in either fails the target, after both have printed.
	python3 bench/check_bench.py $(ARGMAP) $(SHARED) $(BENCH_DIR); missed=$$?; \
	  echo "language server, the bundled maps:"; \
	  python3 bench/lsp_bench.py $(ARGMAP) $(BENCH_DIR)/bundled 21 20 50 600 || missed=1; \
	  echo "language server, the 100,000-claim corpus:"; \
	  python3 bench/lsp_bench.py $(ARGMAP) $(BENCH_DIR)/corpus-1x 7 300 50 600 || missed=1; \
	  echo "the site:"; \
	  python3 bench/html_bench.py $(ARGMAP) $(SHARED) $(BENCH_DIR) || missed=1; \
	  ARGMAP=$(ARGMAP) bash bench/resolve_bench.sh && exit $$missed

## make mutants: mutation testing (cargo-mutants) of the DOI, report, rule and order code, and
## of the core the front ends read (the analysis, the graph, the rule enum and its registry).
## Every surviving mutant must be listed, with a reason, in mutants/accepted.txt. Hours on two
## cores, so not part of `make test`: run it before landing changes to those modules.
MUTANTS_OUT ?= target/mutants
mutants:
	@command -v cargo-mutants >/dev/null 2>&1 || $(CARGO) install --locked cargo-mutants
	ARGMAP_MUTANTS=1 ARGMAP_SHARED=$(abspath $(SHARED)) $(CARGO) mutants --no-shuffle -j 1 \
	  -f 'src/resolve/**' -f 'src/report/**' -f 'src/rules/**' -f src/order.rs \
	  -f 'src/analysis/**' -f src/graph.rs -f src/registry.rs -f src/rule.rs \
	  --output $(MUTANTS_OUT) || true
	python3 mutants/check.py $(MUTANTS_OUT)/mutants.out mutants/accepted.txt

## make diagrams: every map drawn as diagrams/<map>.dot and .svg, all maps in one,
## diagrams/all.svg, and the argument for each conclusion of each map, named after it:
## diagrams/<map>/<claim-id>.dot and .svg (argmap lists the conclusions; a claim id is
## letters, digits, `-` and `_`, so it is a safe file name). Stale diagrams are deleted first.
diagrams: build graphviz
	@mkdir -p diagrams
	@rm -f diagrams/*.dot diagrams/*.svg diagrams/*/*.dot diagrams/*/*.svg
	@find diagrams -mindepth 1 -maxdepth 1 -type d -empty -delete
	@for file in arguments/*.yaml; do \
	  map=$$(basename "$$file" .yaml); \
	  $(ARGMAP) dot . --map "$$map" -o "diagrams/$$map.dot" && \
	  dot -Tsvg "diagrams/$$map.dot" -o "diagrams/$$map.svg" || exit 1; \
	  echo "diagrams/$$map.svg"; \
	done
	@$(ARGMAP) dot . -o diagrams/all.dot
	@dot -Tsvg diagrams/all.dot -o diagrams/all.svg
	@echo diagrams/all.svg
	@# One `map:id` a line; the id is what follows the last colon (a map's name may hold one).
	@# A name taken twice (ids differing only in case, on a case-insensitive disk) stops it.
	@conclusions=$$($(ARGMAP) dot . --list-conclusions) || exit 1; \
	printf '%s\n' "$$conclusions" | while IFS= read -r claim; do \
	  [ -n "$$claim" ] || continue; \
	  map=$${claim%:*}; id=$${claim##*:}; out="diagrams/$$map/$$id"; \
	  if [ -e "$$out.dot" ]; then echo "error: $$out.dot would be written twice" >&2; exit 1; fi; \
	  mkdir -p "diagrams/$$map" && \
	  $(ARGMAP) dot . --focus "$$claim" -o "$$out.dot" && \
	  dot -Tsvg "$$out.dot" -o "$$out.svg" || exit 1; \
	  echo "$$out.svg"; \
	done

## make site: the bundled maps as an offline site in site/ (open site/index.html; argmap
## html, with Graphviz laying out the diagrams). A rebuild replaces the pages it wrote
## before and removes those of maps, claims and works that are gone, and nothing else.
site: build graphviz
	$(ARGMAP) html . -o site

clean:
	$(CARGO) clean
