"""A headless Chromium for the browser tests and ``benchmarks/viz_scale.py``.

Debian's Chromium (``apt-get install -y chromium``, ``/usr/bin/chromium``; another one with
``KG_CHROMIUM``) is driven through Playwright's Python package without Playwright's own
browser downloads. Every request other than the page itself is recorded and aborted, the
context is offline, host names resolve nowhere, and the page's Content-Security-Policy
violations are recorded too: an exported page must need none of them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"]
# Runs in every page before its own scripts: keeps the CSP violations the page causes.
RECORD_VIOLATIONS = """
window.__kgViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__kgViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
# How much of the network's canvas is drawn (not blank, not background).
DRAWN_FRACTION = """() => {
  const canvas = document.querySelector("#network canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250)) drawn++;
  }
  return drawn / (pixels.length / 4);
}"""
HOVER_POINT = """(id) => {
  const net = window.kgNetwork, box = document.getElementById("network").getBoundingClientRect();
  const p = net.canvasToDOM(net.getPositions([id])[id]);
  return [box.left + p.x, box.top + p.y];
}"""


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium, or set KG_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright; no `playwright install` needed)"
    return None


@dataclass
class Visit:
    """One page opened in the browser, and what it tried to reach beyond itself."""

    page: object  # playwright.sync_api.Page
    url: str
    requests: list[str] = field(default_factory=list)
    wall_ms: float = 0.0

    def evaluate(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    @property
    def external(self) -> list[str]:
        """Requests other than the page itself, plus the CSP violations the page caused."""
        violations = self.evaluate("window.__kgViolations || []")
        return [u for u in self.requests if u != self.url] + [f"csp: {v}" for v in violations]

    def ready_ms(self) -> float:
        """Milliseconds from navigation to the page's ``data-kg-ready`` signal."""
        return float(self.evaluate("document.body.getAttribute('data-kg-ready')"))

    def node_count(self) -> int:
        return self.evaluate("window.kgNetwork.body.data.nodes.length")

    def drawn_fraction(self) -> float:
        return self.evaluate(DRAWN_FRACTION)

    def tooltip_of(self, node_id: str, timeout_ms: float = 5000) -> str:
        """Hover a node and read the tooltip's text as the page shows it."""
        self.evaluate("(id) => window.kgNetwork.focus(id, {scale: 1.0, animation: false})", node_id)
        x, y = self.evaluate(HOVER_POINT, node_id)
        self.page.mouse.move(x - 3, y - 3)
        self.page.mouse.move(x, y)
        tip = self.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=timeout_ms)
        return tip.inner_text()


class Browser:
    """``with Browser() as b: visit = b.open(path)`` — a fresh profile each time."""

    def __init__(self, width: int = 1280, height: int = 800, loopback: bool = False) -> None:
        self.viewport = {"width": width, "height": height}
        self.loopback = loopback  # let pages reach 127.0.0.1 (a local server under test), nothing else

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        self._playwright = sync_playwright().start()
        flags = [f"{f}, EXCLUDE 127.0.0.1" if self.loopback and f.startswith("--host-resolver-rules") else f
                 for f in FLAGS]
        self.context = self._playwright.chromium.launch_persistent_context(
            self.profile, executable_path=CHROMIUM, headless=True, args=flags, viewport=self.viewport,
            offline=not self.loopback, service_workers="block")
        self.context.add_init_script(RECORD_VIOLATIONS)
        return self

    def __exit__(self, *exc) -> None:
        self.context.close()
        self._playwright.stop()
        shutil.rmtree(self.profile, ignore_errors=True)

    def open(self, path: str | Path, timeout_ms: float = 30000, wait_ready: bool = True) -> Visit:
        """Open a file:// page, block and record any other request, wait until it has drawn."""
        import time

        page = self.context.new_page()
        visit = Visit(page, Path(path).resolve().as_uri())
        page.on("request", lambda r: visit.requests.append(r.url))
        page.route("**/*", lambda route: route.continue_() if route.request.url == visit.url else route.abort())
        start = time.perf_counter()
        page.goto(visit.url, wait_until="load", timeout=timeout_ms)
        if wait_ready:
            page.wait_for_selector("body[data-kg-ready]", state="attached", timeout=timeout_ms)
        visit.wall_ms = (time.perf_counter() - start) * 1000
        return visit
