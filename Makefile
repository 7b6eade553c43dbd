# The two commands: `make run` (set up everything and serve on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu-$(VNU_VERSION)/package/build/dist/vnu.jar
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint format check-deploy clean browser bench bench-tools messages translations \
	mutate cluster cluster-tools

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		echo "Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "Install Python 3.13 (pyenv reads .python-version) or run: make PYTHON=python3.13 ..."; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

# Translations: locale/<language>/LC_MESSAGES/django.po compiled for Django with GNU gettext's
# msgfmt. The .mo files are build output (not in git); only the changed catalogues are redone.
I18N_IGNORE := --ignore=.venv --ignore=.cache --ignore=var --ignore=staticfiles --ignore=bench --ignore=mutants
translations: export DJANGO_DEBUG := true
translations: $(STAMP)
	$(MANAGE) compilemessages $(I18N_IGNORE) --verbosity 0

# After changing the site's words: bring every catalogue up to date with the code and templates,
# then translate the new and changed entries (README, "Languages"); tests/test_i18n.py checks.
# `make messages NEW_LANGUAGE=fr` starts the catalogue of a new language.
messages: export DJANGO_DEBUG := true
messages: $(STAMP)
	$(MANAGE) makemessages $(if $(NEW_LANGUAGE),--locale=$(NEW_LANGUAGE),--all) --no-obsolete \
		--add-location=file --extension=html,txt,py $(I18N_IGNORE) --ignore=tests

# Local development: DEBUG on, embedded SQLite unless DATABASE_URL says otherwise, mail printed here.
# The web server and a task worker (reminder emails) run together; Ctrl-C stops both (bin/run-dev).
run: export DJANGO_DEBUG := true
run: $(STAMP) translations
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_course
	$(MANAGE) create_demo_accounts
	PYTHON=$(BIN)/python sh bin/run-dev 127.0.0.1:8000

# The Nu HTML Checker, from the npm registry (run with Java), for the HTML validation tests.
$(VNU_JAR):
	mkdir -p .cache/vnu-$(VNU_VERSION)
	cd .cache/vnu-$(VNU_VERSION) && npm pack --silent vnu-jar@$(VNU_VERSION) && tar xzf vnu-jar-$(VNU_VERSION).tgz

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "Browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium"; exit 1; fi; }

test: export DJANGO_DEBUG := true
test: export VNU_JAR := $(abspath $(VNU_JAR))
test: export CHROMIUM_PATH := $(CHROMIUM)
test: $(STAMP) $(VNU_JAR) browser translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Mutation testing of the modules that hold the site's rules ([tool.mutmut] in pyproject.toml,
# tests/MUTATION.md): mutmut's mutants, its score, then the hand-made "drop the filter"
# mutants. Not part of CI (it takes a while); run it before landing a change to a rule. On
# SQLite in memory, so it needs no database and never touches one.
mutate: export DJANGO_DEBUG := true
mutate: $(STAMP)
	rm -rf mutants
	env -u DATABASE_URL $(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/python tests/mutation_score.py
	env -u DATABASE_URL $(BIN)/python tests/hand_mutants.py

# The benchmark (bench/README.md): PostgreSQL data of realistic size, the site served as in
# production, load from wrk. BENCH_ARGS="--scale 10", "--server both", "--only lesson", ...
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev,bench]"
	@touch $(BENCH_STAMP)

bench-tools:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
		else echo "The benchmark needs wrk: sudo apt-get install wrk"; exit 1; fi; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "The benchmark needs PostgreSQL on 127.0.0.1:5432 (see .ci/run to start it)."; exit 1; }

bench: $(BENCH_STAMP) bench-tools
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Several machines on loopback (README, "Several machines"): two app servers behind nginx, two
# task workers, Redis, optionally PgBouncer, and the checks that they act as one site. It
# restarts the local PostgreSQL once (a second or two for everyone on this machine) unless
# CLUSTER_ARGS has --no-restart. Also: --pgbouncer, --balancer haproxy, --only sessions,limits.
cluster-tools:
	@command -v nginx >/dev/null && command -v haproxy >/dev/null && command -v pgbouncer >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy pgbouncer; \
		else echo "make cluster needs nginx, haproxy and pgbouncer: sudo apt-get install nginx haproxy pgbouncer"; exit 1; fi; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "make cluster needs PostgreSQL on 127.0.0.1:5432 (see .ci/run to start it)."; exit 1; }

cluster: $(STAMP) translations cluster-tools
	$(BIN)/python bench/cluster.py $(CLUSTER_ARGS)

# What production would say about its own settings (set the real values in the environment).
check-deploy: $(STAMP)
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | base64)} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-example.org} \
	$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .cache var/static-bundles mutants
