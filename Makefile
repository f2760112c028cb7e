# Two commands: `make run` (everything up) and `make test` (every test). Both work on a fresh
# machine: they create the Python 3.10 venv, install the pinned dependencies, build the spaCy
# pipeline and train the model only when its inputs changed. While editing: `make test-fast`
# (unit and action tests) and `make lint` (docs/development.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/current.tar.gz
SPACY_PIPELINE := build/spacy_en/meta.json
# axe-core (npm registry) for the widget's accessibility test; installed under build/, never committed.
AXE_VERSION := 4.14.1
AXE := build/axe/node_modules/axe-core/axe.min.js
# Wording (data/wording/) and the safety wording and red-flag vocabulary (data/safety/) are read
# at run time, not learnt: changing them needs no retraining.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' -not -path 'data/knowledge/*' -not -path 'data/wording/*' -not -path 'data/safety/*') $(SPACY_PIPELINE)
# The NLU safety component learns a vocabulary at training time (bot/nlp/safety_classifier.py):
# the topic words of the training questions, not the red-flag vocabulary. The question-parts
# component trains its own classifier (bot/nlp/question_parts.py).
TRAINING_INPUTS += bot/nlp/safety_classifier.py bot/nlp/topic_vocabulary.py bot/nlp/question_parts.py

# Quiet, offline-friendly Rasa and TensorFlow.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install spacy train shell actions lock clean help bench-nlu axe staff-user retention run-production run-replica bench-load bench-safety-cost bench-availability-libraries
.PHONY: test-fast lint install-dev migrate

help:
	@echo "make run     install, build, train if needed, start the bot (Ctrl-C stops everything)"
	@echo "make test    install, build, train if needed, run every test"
	@echo "make test-fast  unit and action tests only (pytest -m unit): the edit loop, no trained model"
	@echo "make lint    ruff (lint and format check) and mypy over bot/ and actions/"
	@echo "make run-production  as make run, with conversations and bookings on PostgreSQL and the"
	@echo "             lock store on Redis (127.0.0.1:5432, 127.0.0.1:6379; docs/production.md)"
	@echo "make run-replica PORT=5006  one more Rasa server beside make run-production (same stores)"
	@echo "make migrate upgrade the booking and staff databases to the newest schema (make run"
	@echo "             and make run-production do it first; docs/database.md)"
	@echo "make train   train the model (only when data or config changed)"
	@echo "make shell   chat in the terminal (needs the action server: make actions)"
	@echo "make bench-nlu  NLU accuracy: project pipeline vs Rasa default, fallback threshold table"
	@echo "make bench-safety-cost  ms per message in the safety rules vs the whole NLU parse; the emergency policy by conversation length"
	@echo "make bench-availability-libraries  dateparser, timefhuman, ctparse and recurrent on the blind"
	@echo "             availability phrasings (issue 13), in a venv of their own under build/"
	@echo "make bench-load 50 concurrent conversations x 20 messages, 3 rounds: stock rasa init bot"
	@echo "             (in memory, SQLite) and this bot (in memory, SQLite, production with 1 and 2"
	@echo "             Rasa servers): throughput, latency, errors, lost, memory, ratios to stock"
	@echo "make lock    re-resolve requirements.in and requirements-dev.in into their .lock files"
	@echo "make staff-user NAME=alice ROLE=admin   create a staff console account"
	@echo "make retention [DAYS=N]   delete conversations older than the retention period"

run: $(MODEL)
	@scripts/run.sh

run-production: $(MODEL)
	@scripts/run-production.sh

# A second (third...) Rasa server beside a running make run-production, with its defaults.
run-replica: $(MODEL)
	@PORT=$(PORT) scripts/run-replica.sh

test: $(MODEL) $(AXE) $(VENV)/.installed-dev
	@scripts/test.sh

# Markers come from tests/conftest.py (tests/support/markers.py); the spaCy pipeline is needed by
# the safety rules and the retriever, the trained model is not.
test-fast: $(SPACY_PIPELINE) $(VENV)/.installed-dev
	@scripts/test.sh -m unit

# All three tools run even when one fails, so that one run shows everything; fails if any did.
lint: $(VENV)/.installed-dev
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/ruff format --check . || status=1; \
	$(VENV)/bin/mypy || status=1; \
	exit $$status

axe: $(AXE)

$(AXE):
	@if command -v npm >/dev/null; then \
	  npm install --prefix build/axe --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION); \
	else echo "npm not found: the widget's accessibility test will skip (CI fails it)"; fi

# The runtime (make run) and, for tests and linters, the runtime plus the dev tools: the dev lock
# pins every runtime package at the runtime lock's version, so the two install into one venv.
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

define install_lock
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=23"
	$(PY) -m pip install --quiet -r $<
	@touch $@
endef

$(VENV)/.installed: requirements.lock
	$(install_lock)

$(VENV)/.installed-dev: requirements-dev.lock
	$(install_lock)

spacy: $(SPACY_PIPELINE)

$(SPACY_PIPELINE): bot/nlp/build_pipeline.py $(VENV)/.installed
	$(PY) -m bot.nlp.build_pipeline

train: $(MODEL)

$(MODEL): $(TRAINING_INPUTS) $(VENV)/.installed
	@mkdir -p models
	$(RASA) train --domain domain.yml --fixed-model-name current --out models --quiet
	@touch $@

# Both take the action server's address and shared secret as make run does.
shell: $(MODEL)
	source scripts/action-server-env.sh && $(RASA) shell -m $(MODEL) --endpoints endpoints.yml

actions: $(VENV)/.installed
	source scripts/action-server-env.sh && $(PY) -m bot.runtime.action_server --port "$$ACTION_PORT"

# Each lock is one pip resolve in a fresh throwaway venv: the runtime first, then the dev tools
# with requirements.lock as a constraint (requirements-dev.in says why). Only the lock venv is
# removed: build/ holds other output (the spaCy pipeline).
LOCK_VENV := build/lock-venv

define lock_from
	rm -rf $(LOCK_VENV) && "$$(scripts/find-python.sh)" -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet -r $(1)
	{ echo "# Generated by 'make lock' from $(1) in one pip resolve (Python 3.10). Do not edit."; \
	  $(LOCK_VENV)/bin/pip freeze; } > $(2)
	rm -rf $(LOCK_VENV)
endef

lock:
	$(call lock_from,requirements.in,requirements.lock)
	$(call lock_from,requirements-dev.in,requirements-dev.lock)

bench-load: $(MODEL)
	$(PY) -m bench.load

bench-safety-cost: $(MODEL)
	$(PY) -m bench.safety_cost

bench-nlu: $(SPACY_PIPELINE) $(VENV)/.installed
	$(PY) -m bench.nlu_benchmark

# The date libraries on the blind availability phrasings (issue 13). timefhuman, ctparse and
# recurrent are no project dependency: they go into a venv of their own, one pin at a time, so that
# one that fails to install is reported by the script ('could not run') instead of stopping the rest.
AVAILABILITY_LIBS_VENV := build/availability-libs-venv

bench-availability-libraries: $(AVAILABILITY_LIBS_VENV)/.installed
	env -u PYTHONPATH $(AVAILABILITY_LIBS_VENV)/bin/python bench/availability_libraries.py

$(AVAILABILITY_LIBS_VENV)/.installed: bench/availability_libraries.txt
	rm -rf $(AVAILABILITY_LIBS_VENV) && "$$(scripts/find-python.sh)" -m venv $(AVAILABILITY_LIBS_VENV)
	$(AVAILABILITY_LIBS_VENV)/bin/python -m pip install --quiet --upgrade "pip>=23"
	@status=0; for pin in $$(sed 's/#.*//' $<); do \
	  $(AVAILABILITY_LIBS_VENV)/bin/python -m pip install --quiet --no-deps "$$pin" || status=1; \
	done; \
	$(AVAILABILITY_LIBS_VENV)/bin/python -m pip check || status=1; \
	if [ $$status = 0 ]; then touch $@; else echo "some pins did not install: the table says which library could not run"; fi

clean:
	rm -rf build models results var .pytest_cache

# The booking and staff databases (settings.yml, BOOKING_DATABASE_URL, STAFF_DATABASE_URL) at
# their newest schema; scripts/run.sh runs it before starting the servers.
migrate: $(VENV)/.installed
	$(PY) -m bot.migrations upgrade

# Staff console accounts: make staff-user NAME=alice ROLE=admin (asks for the password twice).
staff-user: $(VENV)/.installed
	@test -n "$(NAME)" || { echo "usage: make staff-user NAME=alice [ROLE=staff|admin]"; exit 2; }
	$(PY) -m bot.staff add-user "$(NAME)" --role "$(or $(ROLE),staff)"

# Delete conversations older than settings.yml staff.retention_days (DAYS=N overrides).
retention: $(VENV)/.installed
	$(PY) -m bot.staff retention $(if $(DAYS),--days $(DAYS))
