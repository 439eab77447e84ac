#!/usr/bin/env bash
# Install what the build needs into .venv and build the site from corpus/ into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python build.py "$@"
