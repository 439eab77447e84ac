"""Stage 8: the client-side search index of the built site (Pagefind).

Placeholder: ``index_site`` is called on the freshly built site before it is
swapped into place.
"""
from __future__ import annotations

from pathlib import Path


def index_site(site_dir: Path) -> None:
    """Write the search index into ``site_dir``."""
    return None
