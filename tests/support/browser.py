"""Browser tests: Debian's Chromium driven by Playwright (no browser download), the web app on a
free port, and the axe-core accessibility check. Skips where Chromium or axe-core is absent,
fails instead in CI (REQUIRE_SERVICES=1)."""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.harness import free_port, start_process, stop_process, wait_until_up
from tests.support.paths import PROJECT_ROOT, TEST_OUTPUT
from tests.support.skips import skip_or_fail

CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_SCRIPT = PROJECT_ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium for the module's tests (one per module keeps each module independent)."""
    if not CHROMIUM_PATH.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM_PATH} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def running_web_app(
    workdir: Path, rasa_url: str, port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`python -m bot.web` on a free port, pointed at `rasa_url`; yields its base URL."""
    port = port or free_port()
    log = workdir / "web.log"
    process = start_process(
        [sys.executable, "-m", "bot.web", "--port", str(port), "--rasa-url", rasa_url], log, env
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def output_path(name: str) -> Path:
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT / name


@dataclass
class AxeResult:
    violations: list[dict]

    @property
    def blocking(self) -> list[str]:
        """Serious and critical violations, one line each: rule, impact, what it asks, where."""
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in self.violations
            if v["impact"] in BLOCKING_IMPACTS
        ]


def run_axe(page, name: str, within: str | None = None) -> AxeResult:
    """Run axe-core over the page, or only the element matching the CSS selector `within` (the
    page's context must bypass CSP to inject the script); saves every violation, whatever its
    impact, to test-output/axe-<name>.json."""
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_SCRIPT} (make axe; make test does it)")
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "async ([tags, within]) => await axe.run(within ? {include: [[within]]} : document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [AXE_TAGS, within],
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "summary": n.get("failureSummary")} for n in v["nodes"]],
        }
        for v in results["violations"]
    ]
    output_path(f"axe-{name}.json").write_text(
        json.dumps(
            {
                "axe_version": results["testEngine"]["version"],
                "tags": AXE_TAGS,
                "within": within,
                "violations": violations,
            },
            indent=2,
        )
    )
    return AxeResult(violations)
