#!/usr/bin/env python3
"""Build the site: corpus/ -> docs/ (Markdown) -> site/ (HTML). See README.md."""
import sys

from reading_room.cli import main

if __name__ == "__main__":
    sys.exit(main())
