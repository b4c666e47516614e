# Everyday commands; the README and .ci/run use the same ones.
GO ?= go

.PHONY: build test lint run bench

build: ## compile every package
	$(GO) build ./...

test: ## the README's test command
	$(GO) test -race -count=1 ./...

lint: ## gofmt check and go vet
	@files="$$(gofmt -l .)"; if [ -n "$$files" ]; then echo "gofmt needed:"; echo "$$files"; exit 1; fi
	$(GO) vet ./...

run: ## the console on demo data
	$(GO) run ./cmd/meetbot console --demo

bench: ## benchmarks only, with allocations
	$(GO) test -run '^$$' -bench . -benchmem ./...
