# `make run` serves the app with demo data; `make test` runs the whole suite.
# Both set everything up on a fresh machine with nothing but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
CELERY := $(BIN)/celery -A backsourcing
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and calendar feeds point where `make run` serves, unless SITE_URL is set
# in the environment, on the command line or in `.env` (which then wins). A wildcard bind
# (0.0.0.0, [::]) is not an address a browser can open: links then name this machine's
# loopback; set SITE_URL to the address other people use.
ifeq ($(origin SITE_URL),undefined)
ifeq ($(shell grep -s '^[[:space:]]*SITE_URL[[:space:]]*=' .env),)
SITE_URL := http://$(patsubst 0.0.0.0,127.0.0.1,$(patsubst [::],[::1],$(HOST))):$(PORT)
endif
endif

.PHONY: run test venv lint format migrate seed serve clean bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	mkdir -p var
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# Web, a Celery worker and beat together; Ctrl-C stops all three. Without REDIS_URL the
# broker is kombu's filesystem transport under var/celery. The worker sweeps reminders as
# it starts, so a demo deadline due soon prints its console e-mail within a minute.
run: seed
	@echo "Serving http://$(HOST):$(PORT)/ with a Celery worker and beat; Ctrl-C stops all three."
	@echo "Links in e-mails and calendar feeds: $(if $(SITE_URL),$(SITE_URL),SITE_URL from .env)"
	@$(if $(SITE_URL),export SITE_URL='$(SITE_URL)';) trap 'kill $$worker $$beat 2>/dev/null; wait' INT TERM EXIT; \
	$(CELERY) worker --loglevel=INFO --concurrency=1 --without-gossip --without-mingle & worker=$$!; \
	$(CELERY) beat --loglevel=INFO & beat=$$!; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: venv
	$(BIN)/pytest

# The benchmark (docs/performance.md): a generated portfolio in PostgreSQL database `bench`
# (BENCH_DATABASE_URL), served by gunicorn with the production settings. SCALE=1 is dataset L.
SCALE ?= 1
bench: venv
	$(BIN)/python bench/run.py --scale $(SCALE)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r accounts api backsourcing contracts core imports reminders transition web -x '*/migrations/*' --severity-level medium

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
