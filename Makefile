# llm-proxy: `make run` serves the example config, `make test` runs everything CI runs.
# Both install what they need first (Bun via npm when missing, then the npm dependencies).
SHELL := /bin/bash
CONFIG ?= config/config.example.yaml
TARGETS := linux-x64 linux-arm64 darwin-x64 darwin-arm64 windows-x64
export PATH := $(HOME)/.bun/bin:$(shell npm prefix -g 2>/dev/null)/bin:$(PATH)

.PHONY: run test typecheck unit build build-all bench bench-translate soak clean deps bun

bun:
	@command -v bun >/dev/null 2>&1 || { echo "bun not found: installing it with npm install -g bun"; npm install -g bun; }

node_modules/.installed: package.json bun.lock | bun
	bun install --frozen-lockfile
	@touch $@

deps: bun node_modules/.installed

run: deps
	BUN_CONFIG_MAX_HTTP_REQUESTS=$${BUN_CONFIG_MAX_HTTP_REQUESTS:-4096} bun src/main.ts serve --config $(CONFIG)

typecheck: deps
	bun run typecheck

unit: deps
	bun test

test: typecheck unit

build: deps
	bun build --compile --minify --sourcemap --bytecode src/main.ts --outfile dist/llm-proxy

build-all: deps
	@for t in $(TARGETS); do \
	  ext=""; case $$t in windows-*) ext=".exe";; esac; \
	  echo "building dist/llm-proxy-$$t$$ext"; \
	  bun build --compile --minify --sourcemap --bytecode --target=bun-$$t src/main.ts --outfile dist/llm-proxy-$$t$$ext || exit 1; \
	done

bench: build
	bun bench/run.ts

# the stream translators alone, in-process: CPU per event for every front door × upstream (~30 s)
bench-translate: deps
	bun bench/translate-cpu.ts

soak: build
	bun test/reliability/soak.ts

clean:
	rm -rf dist node_modules
