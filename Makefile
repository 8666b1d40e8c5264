# Task list for working on deskbot; `make help` lists the targets.
# CI (.ci/run) runs the same steps as `make ci`.

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         ?= deskbot
# The version `deskbot version` and the serve banner print. Stamped here so
# that builds the Go toolchain records no revision for (a git worktree,
# GOFLAGS=-buildvcs=false, a source copy) still name theirs.
VERSION     ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# Packages run under the race detector: all but the binary tests (e2e,
# which run the built binary, not test code) and the Gherkin suite
# (features; slow under -race and its concurrency is the server's, which
# the server packages' own tests cover).
RACE_PKGS    = $$($(GO) list ./... | grep -v -e '/e2e$$' -e '/features$$')

.PHONY: help build test test-short race fmt fmt-check vet staticcheck lint bench ci clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the deskbot binary (BIN=path), stamped with the git version (VERSION=…)
	$(GO) build -ldflags "-X deskbot/app.Version=$(VERSION)" -o $(BIN) .

test: ## every test, as README says (browser tests need Chromium)
	$(GO) test ./...

test-short: ## the quick tests: no BANKING77 evaluation, no long runs
	$(GO) test -short ./...

race: ## tests of the concurrent packages under the race detector
	$(GO) test -race -short -timeout 30m -skip '^TestAdminScanAuditedValidatedAndRateLimited$$' $(RACE_PKGS)

fmt: ## format the code in place
	gofmt -w .

fmt-check: ## fail if a file is not gofmt-formatted
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

vet: ## go vet
	$(GO) vet ./...

staticcheck: ## staticcheck (fetched through the module proxy on first use)
	$(STATICCHECK) ./...

lint: fmt-check vet staticcheck ## gofmt, vet and staticcheck

bench: ## benchmarks, once each (a smoke run; use -count and benchstat to compare)
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

ci: ## what CI runs
	./.ci/run

clean: ## remove the binary and test output
	rm -f deskbot *.test *.out
