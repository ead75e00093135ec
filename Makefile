# PaperFeed — set-up, demo, tests and benchmarks. See README.md.
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev pkg-config
DB ?= out/demo.sqlite
RELEASE_BIN := .build/release/paperfeed

.PHONY: deps build release test fuzz demo experiments bench clean

# Installs the C libraries with apt-get where they are missing (needs root or sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product paperfeed

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash scripts/nightly-smoke.sh .build/debug/paperfeed

# The mutation fuzzer over every parser, long run: 2,000 mutants per parser (the same test runs
# 40 per parser inside `make test`). Prints its seed; FUZZ_SEED=N replays a run.
FUZZ_MUTANTS ?= 2000
FUZZ_SEED ?= 20261201
fuzz: deps
	$(SWIFT) build --build-tests
	PAPERFEED_FUZZ_MUTANTS=$(FUZZ_MUTANTS) PAPERFEED_FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test --skip-build --filter FuzzTests

demo: release
	bash scripts/demo.sh "$(RELEASE_BIN)" "$(DB)"

# The committed comparison reports (Evaluation/reports/blend-vs-single, tune-blend): needs the
# demo's store and hidden relevance (make demo) first.
experiments: release
	@[ -f "$(DB)" ] || { echo "run make demo first (it builds $(DB))"; exit 1; }
	$(RELEASE_BIN) compare --config Evaluation/configs/learned-vs-single.json
	$(RELEASE_BIN) compare --config Evaluation/configs/learned-vs-single-logged.json
	bash scripts/worlds.sh "$(RELEASE_BIN)"
	$(RELEASE_BIN) tune --config Evaluation/configs/tune-blend.json

bench: release
	bash scripts/bench.sh "$(RELEASE_BIN)"

# The benchmark binary only (used by scripts/bench.sh).
bench-bin: deps
	$(SWIFT) build -c release --product paperfeed-bench

clean:
	rm -rf .build out
