# The two commands of the README:
#   make run   -> virtualenv, install, migrate, demo data, print the demo logins, serve on :8000 (SQLite)
#   make test  -> the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
# and the checks CI runs before the tests: make lint typecheck (CONTRIBUTING.md).
# Every target installs the exact versions of requirements/dev.lock; `make lock` upgrades them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements/dev.lock
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto
# The lock files name packages and versions only, never this machine's package sources.
LOCK_FLAGS := --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host

.PHONY: run test setup sysdeps sysdeps-test messages lint typecheck lock bench clean

# The locked versions only: installing needs pip, not pip-tools (the project itself is not installed, it
# runs from the checkout).
$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK)
	touch $(STAMP)

sysdeps:
	scripts/system-deps.sh run

sysdeps-test:
	scripts/system-deps.sh test

setup: sysdeps $(STAMP)
	$(PY) scripts/compile_messages.py
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: sysdeps-test $(STAMP)
	$(PY) scripts/compile_messages.py
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Regenerate the Vietnamese catalogue after changing strings (needs gettext), then translate the new
# entries in locale/vi/LC_MESSAGES/django.po and run `make messages` again to compile.
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=media
	$(PY) scripts/compile_messages.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

# mypy with the django-stubs plugin; what is checked and how strictly is in pyproject.toml ([tool.mypy]).
typecheck: $(STAMP)
	$(VENV)/bin/mypy

# Re-resolve the newest versions pyproject.toml allows and write the lock files (needs the network).
# Commit the lock files after `make lint typecheck test` passes with them.
lock: $(STAMP)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --upgrade --extra dev $(LOCK_FLAGS) -o requirements/dev.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --upgrade $(LOCK_FLAGS) -o requirements/prod.lock pyproject.toml
	$(PY) -m pip install --quiet -r $(LOCK)
	touch $(STAMP)

# The benchmark (`manage.py bench`: every main page and document, timed, with its queries and memory) on a
# generated SQLite database of its own, made once per scale and kept in .bench/ (delete it to make it anew):
#   make bench                                  -> province scale
#   make bench BENCH_SCALE=national BENCH_RUNS=7
# On PostgreSQL, with DATABASE_URL naming an empty database: manage.py migrate, then
# manage.py generate_dataset --scale province --seed 1, then manage.py bench --runs 15.
BENCH_SCALE ?= province
BENCH_RUNS ?= 15
BENCH_FILE := .bench/$(BENCH_SCALE).sqlite3

bench: $(STAMP)
	$(PY) scripts/compile_messages.py
	mkdir -p .bench
	test -f $(BENCH_FILE) || { rm -f $(BENCH_FILE).part && \
	  DATABASE_URL=sqlite:///$(BENCH_FILE).part $(PY) manage.py migrate --noinput && \
	  DATABASE_URL=sqlite:///$(BENCH_FILE).part $(PY) manage.py generate_dataset --scale $(BENCH_SCALE) --seed 1 && \
	  mv $(BENCH_FILE).part $(BENCH_FILE); }
	DATABASE_URL=sqlite:///$(BENCH_FILE) $(PY) manage.py bench --runs $(BENCH_RUNS)

clean:
	rm -rf $(VENV) staticfiles
