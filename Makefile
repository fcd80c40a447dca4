# Tutela — the commands a newcomer and CI run. `make run` and `make test` are the two
# that matter (see README); everything they need is installed from the package registries.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
NPM := $(VENV)/bin/npm
STAMP := $(VENV)/.installed
IDP_STAMP := devtools/oidc/node_modules/.installed
AXE_STAMP := tests/e2e/js/node_modules/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1

.PHONY: run test setup browser system-packages test-fast bench audit lint migrate seed-large lock clean run-prod backup restore

run: setup ## Set up, migrate, load demo data, start the dev OpenID provider and the app
	$(PY) -m tutela_app.manage run

test: setup browser system-packages $(AXE_STAMP) ## Set up and run the whole test suite, browser tests included
	$(PY) -m pytest

test-fast: setup ## Unit, service and auth tests only (no browser)
	$(PY) -m pytest -m "not e2e and not prod"

setup: $(STAMP) $(IDP_STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $(STAMP)

$(IDP_STAMP): devtools/oidc/package-lock.json $(STAMP)
	cd devtools/oidc && $(CURDIR)/$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $(IDP_STAMP)

$(AXE_STAMP): tests/e2e/js/package-lock.json $(STAMP)
	cd tests/e2e/js && $(CURDIR)/$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $(AXE_STAMP)

browser: ## Debian's Chromium for the end-to-end tests (Playwright cannot download browsers here)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian chromium (apt)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing. Install it as root with:"; \
		echo "    sudo apt-get update && sudo apt-get install -y chromium"; \
		exit 1; \
	fi

system-packages: ## Debian packages the tests drive: nginx (config check), PostgreSQL and Redis servers (fault tests)
	@missing=""; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v pg_dump >/dev/null 2>&1 || missing="$$missing postgresql-client"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian packages:$$missing (apt)..."; \
		[ -e /etc/postgresql-common/createcluster.conf ] || { mkdir -p /etc/postgresql-common; \
			echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf; }; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Missing Debian packages:$$missing. Install them as root with:"; \
		echo "    sudo apt-get update && sudo apt-get install -y$$missing"; \
		exit 1; \
	fi

run-prod: setup ## Production mode (see deploy/README.md and deploy/env.production.sample)
	$(PY) -m tutela_app.manage run-prod

backup: setup ## Consistent online backup into $$TUTELA_DATA_DIR/backups
	$(PY) -m tutela_app.manage backup

restore: setup ## Restore FILE=<backup> (default: the latest) into TUTELA_DATABASE_URL and verify it
	$(PY) -m tutela_app.manage restore $(FILE)

migrate: setup
	$(PY) -m tutela_app.manage migrate

seed-large: setup ## The large data set for benchmarks (10k+ cases, 1M+ evaluation rows)
	$(PY) -m tutela_app.manage migrate
	$(PY) -m tutela_app.seed --scale large --if-empty

bench: setup ## Benchmarks (see bench/README.md)
	$(PY) -m bench

audit: setup ## Known-vulnerability audit of Python and npm dependencies
	$(PY) -m tutela_app.tools.dependency_audit

lint: setup
	$(VENV)/bin/ruff check tutela_app tests bench

lock: ## Re-pin requirements.lock from the current venv
	$(PIP) freeze --exclude-editable > requirements.lock

clean:
	rm -rf .web var/*.db var/*.db-wal var/*.db-shm
