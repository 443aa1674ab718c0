# llm-proxy: `make run` serves the example config, `make test` runs everything CI runs.
# Both install what they need first (Bun via npm when missing, then the npm dependencies).
SHELL := /bin/bash
CONFIG ?= config/config.example.yaml
export PATH := $(HOME)/.bun/bin:$(shell npm prefix -g 2>/dev/null)/bin:$(PATH)

.PHONY: run test typecheck unit build build-all release bench bench-translate soak clean deps bun

bun:
	@command -v bun >/dev/null 2>&1 || { echo "bun not found: installing it with npm install -g bun"; npm install -g bun; }

node_modules/.installed: package.json bun.lock | bun
	bun install --frozen-lockfile
	@touch $@

deps: bun node_modules/.installed

# --no-env-file: Bun itself must not load ./.env / ./.env.local into the environment (the proxy
# reads ./.env on its own, below the real environment, as documented)
run: deps
	BUN_CONFIG_MAX_HTTP_REQUESTS=$${BUN_CONFIG_MAX_HTTP_REQUESTS:-4096} bun --no-env-file src/main.ts serve --config $(CONFIG)

typecheck: deps
	bun run typecheck

unit: deps
	bun test

test: typecheck unit

# Binaries and release archives: deploy/release/build.ts holds the compile flags (no .env /
# bunfig.toml autoload in the binary) for all three, and for the Dockerfile and the release workflow.
build: deps
	bun deploy/release/build.ts binary --out dist/llm-proxy

build-all: deps
	bun deploy/release/build.ts all

# dist/release/llm-proxy-<version>-<os>-<arch>.tar.gz (.zip for windows) and dist/release/SHA256SUMS
release: deps
	bun deploy/release/build.ts release $(if $(TARGETS),--targets $(TARGETS))

bench: build
	bun bench/run.ts

# the stream translators alone, in-process: CPU per event for every front door × upstream (~30 s)
bench-translate: deps
	bun bench/translate-cpu.ts

soak: build
	bun test/reliability/soak.ts

clean:
	rm -rf dist node_modules
