"""Text shown in an HTML block: HTML-escaped, its control characters made visible.

A body line may carry an ESC colour code or another control character from the tool
that exported it; the paragraph keeps it (every character reaches the page), but an
excerpt, a title or a heading shown elsewhere writes it as ``\\x1b`` so that nothing
invisible breaks a line of Markdown or HTML."""
from __future__ import annotations

import html
import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def visible_controls(text: str) -> str:
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def shown(text: str) -> str:
    """``text`` for an HTML element's content or attribute, shown literally."""
    return visible_controls(html.escape(text))
