"""Progress on long builds: a tqdm bar in a terminal, one plain log line per stage elsewhere (CI)."""
from __future__ import annotations

import os
import sys
import time

from tqdm import tqdm


class Progress:
    def __init__(self, stream=None, interactive: bool | None = None):
        self.stream = stream or sys.stderr
        if interactive is None:  # a bar in a terminal; plain lines in CI logs, even on a pseudo-terminal
            interactive = self.stream.isatty() and not os.environ.get("CI")
        self.interactive = interactive
        self.bar = None
        self.started = time.perf_counter()

    def _say(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f}s] {text}", file=self.stream, flush=True)

    def start(self, stage: str, total: int) -> None:
        if self.interactive and total:
            self.bar = tqdm(total=total, desc=stage, unit="report", file=self.stream, leave=False)
        else:
            self._say(f"{stage}: {total} report(s) to convert")

    def advance(self, stage: str) -> None:
        if self.bar:
            self.bar.update(1)

    def done(self, stage: str) -> None:
        if self.bar:
            self.bar.close()
            self.bar = None

    def stage(self, name: str) -> None:
        self._say(name)
