# kuberust: `make up` starts a local cluster, `make test` runs every test.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TARGET_DIR ?= $(CURDIR)/target

.PHONY: up down deps build build-debug test unit-test integration-test bench bench-apiserver fuzz fmt lint

deps:
	hack/install-deps.sh

build:
	$(CARGO) build --release --bins

build-debug:
	$(CARGO) build --bins

up: deps build
	hack/local-up.sh up

down:
	hack/local-up.sh down $(if $(CLEAN),clean,)

# The whole suite: unit and component tests, then the integration tests against the
# real binaries, etcd and the upstream kubectl.
test: build-debug
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
	  KUBERUST_BIN_DIR=$(CARGO_TARGET_DIR)/debug $(CARGO) nextest run --workspace --no-fail-fast; \
	else \
	  KUBERUST_BIN_DIR=$(CARGO_TARGET_DIR)/debug $(CARGO) test --workspace --no-fail-fast; \
	fi

bench: bench-apiserver

# Watch fan-out opens a thousand connections: raise the open-file limit for the run.
bench-apiserver: build
	ulimit -n 65536 2>/dev/null || ulimit -n 4096; $(CARGO) run --release -p bench --bin bench-apiserver

fuzz:
	hack/fuzz.sh

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets
