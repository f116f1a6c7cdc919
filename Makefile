# The two commands of the README:
#   make run   -> virtualenv, install, migrate, demo data, print the demo logins, serve on :8000 (SQLite)
#   make test  -> the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: run test setup sysdeps sysdeps-test messages lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
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

bench: $(STAMP)
	$(PY) scripts/benchmark.py

clean:
	rm -rf $(VENV) staticfiles
