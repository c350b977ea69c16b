"""A progress line with a rate and an ETA on a terminal; silent in pipes and CI."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int | None = None, stream=None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self._last = 0.0

    def update(self, status: str) -> None:
        self.done += 1
        self.failed += status == "failed"
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.2 or self.done == self.total):
            self._last = now
            self.stream.write("\r" + self.line(now) + " " * 4)
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-6)
        rate = self.done / elapsed
        text = f"{self.done}" + (f"/{self.total}" if self.total else "") + f" articles, {rate:.1f}/s"
        if self.failed:
            text += f", {self.failed} failed"
        if self.total and rate > 0:
            text += f", ETA {_duration((self.total - self.done) / rate)}"
        return text

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def count_inputs(paths) -> int | None:
    """How many articles the inputs hold (JSONL lines counted), or None for standard input."""
    from pathlib import Path

    from kg.read import JSONL_SUFFIXES, iter_files

    if any(str(p) == "-" for p in paths):
        return None
    total = 0
    try:
        for file in iter_files([p for p in paths if Path(p).exists()]):
            if file.suffix.lower() in JSONL_SUFFIXES:
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            else:
                total += 1
    except OSError:
        return None
    return total
