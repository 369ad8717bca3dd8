# Atrium: the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
TEMURIN := /usr/lib/jvm/temurin-25-jdk-amd64
ifeq ($(origin JAVA_HOME), undefined)
  ifneq ($(wildcard $(TEMURIN)/bin/java),)
    export JAVA_HOME := $(TEMURIN)
  endif
endif
MVN := ./mvnw -B

.PHONY: run test build bench clean help

help:
	@echo "make run    start Atrium on 127.0.0.1 (control plane on :8080, embedded PostgreSQL, state in ./.atrium)"
	@echo "make test   run every test (./mvnw verify over all modules)"
	@echo "make build  package every module without running tests"
	@echo "make bench  load benchmark of the control plane (see README, Performance)"
	@echo "make clean  remove build output (keeps ./.atrium: data and cached binaries)"

run:
	@deploy/local/run.sh

test:
	$(MVN) verify

build:
	$(MVN) -DskipTests package

bench: build
	@deploy/local/bench.sh

clean:
	$(MVN) -q clean
