# Envoy CRM — `make run` starts everything on embedded defaults; `make test` runs what CI runs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
# `make run PORT=8001` serves on another port.
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-dev lint security migrate data clean-var messages i18n-check

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

migrate: install
	mkdir -p var
	$(MANAGE) migrate --noinput

data: migrate
	$(MANAGE) load_public_data

# collectstatic compresses every file (about 25 s here), so it runs only when a static source or the
# installed packages (admin and API assets) changed since the last run; the stamp lives inside the
# collected folder, so removing the folder (`make clean-var`) collects again.
STATIC_SOURCES := $(shell find static */static -type f 2>/dev/null)
var/staticfiles/.collected: $(STATIC_SOURCES) $(VENV)/.runtime-installed
	$(MANAGE) collectstatic --noinput -v 0
	touch $@

# The French catalogue is compiled here, not committed (`.mo` files are build output). Without GNU
# gettext's msgfmt the pages stay in English and `make run` says so; `make test` needs it.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/django.po)
COMPILED := $(CATALOGUES:.po=.mo)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.runtime-installed
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0; \
	else echo "msgfmt (GNU gettext) is not installed: the interface stays in English until it is."; fi

# One way to regenerate the catalogue, so that it merges cleanly: no source locations, no obsolete entries.
MAKEMESSAGES := $(MANAGE) makemessages -l fr --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=node_modules --ignore=bench --ignore=tests
messages: install
	$(MAKEMESSAGES)

# Fails when the code has a string the catalogue lacks, or the catalogue has an untranslated or fuzzy
# entry. Works on a copy: the tree is left as it was.
i18n-check: install-dev
	$(PY) .ci/i18n_check.py

run: data var/staticfiles/.collected $(COMPILED)
	$(MANAGE) ensure_demo_user
	$(MANAGE) runstack --addr 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# bandit: no medium or high finding; pip-audit: no known vulnerability in the pinned runtime
# requirements (warns, without failing, when its vulnerability service cannot be reached).
security: install-dev
	$(VENV)/bin/bandit -q -r config core trade contacts outreach briefings -ll
	$(PY) .ci/pip_audit_gate.py requirements.txt

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; 0: in this one), each with its own test
# database (test_<name>_gw0, ...): see "Tests in parallel" in docs/operations.md before adding a test.
PYTEST_WORKERS ?= 2
test: install-dev lint security i18n-check $(COMPILED)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

clean-var:
	rm -rf var/broker var/envoy.sqlite3* var/staticfiles

# --- Benchmarks (PostgreSQL at 127.0.0.1:5432 and `wrk` needed; see docs/performance.md) -----------
.PHONY: bench-smoke bench-10k bench-100k bench-compare

bench-smoke: install-dev
	$(PY) bench/run.py --scale smoke --repeat 5 --load-seconds 10

bench-10k: install-dev
	$(PY) bench/run.py --scale 10k --write-docs

bench-100k: install-dev
	$(PY) bench/run.py --scale 100k --write-docs

bench-compare: install-dev
	$(PY) bench/compare.py --write-docs
