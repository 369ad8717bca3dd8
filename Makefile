# Atrium: the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
TEMURIN := /usr/lib/jvm/temurin-25-jdk-amd64
ifeq ($(origin JAVA_HOME), undefined)
  ifneq ($(wildcard $(TEMURIN)/bin/java),)
    export JAVA_HOME := $(TEMURIN)
  endif
endif
MVN := ./mvnw -B

.PHONY: run test build bench bench-data-plane eval clean help

help:
	@echo "make run    start Atrium on 127.0.0.1 (control plane on :8080, embedded PostgreSQL, state in ./.atrium)"
	@echo "make test   run every test (./mvnw verify over all modules)"
	@echo "make build  package every module without running tests"
	@echo "make bench  load benchmark of the control plane (see README, Performance)"
	@echo "make bench-data-plane [CHUNKS=100000]  ingest, hybrid-query and proxy-overhead benchmark of a data plane"
	@echo "make eval DATASET=dir [MODEL=all-minilm-l6-v2-q]  retrieval evaluation on a BEIR-style dataset"
	@echo "make clean  remove build output (keeps ./.atrium: data and cached binaries)"

run:
	@deploy/local/run.sh

test:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  echo "The console's browser tests need Chromium: apt-get install chromium chromium-driver (.ci/run does this)"; exit 2; }
	$(MVN) verify

build:
	$(MVN) -DskipTests package

bench: build
	@deploy/local/bench.sh

bench-data-plane: build
	@deploy/local/bench-data-plane.sh $(or $(CHUNKS),100000) $(or $(QUERY_SECONDS),20)

DATA_PLANE_APP := data-plane/target/quarkus-app
eval:
	@test -n "$(DATASET)" || { echo "usage: make eval DATASET=path/to/beir-dataset [MODEL=all-minilm-l6-v2-q]"; exit 2; }
	@test -f $(DATA_PLANE_APP)/quarkus-run.jar || $(MVN) -q -DskipTests -pl data-plane -am package
	@$${JAVA_HOME:+$$JAVA_HOME/bin/}java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
	  -cp "$(DATA_PLANE_APP)/app/*:$(DATA_PLANE_APP)/lib/main/*" dev.atrium.dataplane.eval.RetrievalEvaluation \
	  "$(DATASET)" $(or $(MODEL),all-minilm-l6-v2-q) $(REPORT)

clean:
	$(MVN) -q clean
