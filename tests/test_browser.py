"""The book as readers meet it: the built website with no network, and JupyterLab.

These tests drive Debian's Chromium with Playwright for Python. They read the site that
README's set-up command builds into ``_build/html`` (or the one the environment variable
``DLCOURSE_SITE`` names, such as a scratch build's ``<path-output>/_build/html``). Outside CI
they skip, saying why, when Chromium or the built site is missing; in CI (``CI=true``) a
missing piece is a failure. The accessibility tests run axe-core (``axe-playwright-python``)
on every page and read every image's alternative text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("DLCOURSE_SITE", ROOT / "_build" / "html"))
CHROMIUM = os.environ.get("DLCOURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(
            f"Chromium not found at {CHROMIUM}: install it with "
            "`sudo apt-get install chromium` (or set DLCOURSE_CHROMIUM)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed: `pip install -r requirements.txt`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site():
    if not (SITE / "index.html").exists():
        _missing("the book is not built: run README's set-up command first")
    return SITE


class OfflinePage:
    """A page opened from disk, with every request to another host blocked and recorded."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.outside, self.errors = [], []
        self.context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), self._block)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def _block(self, route):
        self.outside.append(route.request.url)
        route.abort()

    def close(self):
        self.context.close()


@pytest.mark.parametrize("name", toc_pages())
def test_page_reads_offline_with_maths_and_no_errors(browser, site, name):
    page = OfflinePage(browser, (site / f"{name}.html").as_uri())
    try:
        maths = page.page.locator("span.math, div.math")
        if maths.count():
            page.page.wait_for_function(
                "() => [...document.querySelectorAll('span.math, div.math')]"
                ".every(e => e.querySelector('mjx-container'))",
                timeout=30_000,
            )
        assert page.outside == [], f"requests to other hosts: {page.outside}"
        assert page.errors == [], f"console errors: {page.errors}"
        if name.startswith("chapters/"):
            links = page.page.eval_on_selector_all(
                ".dropdown-launch-buttons a", "els => els.map(e => e.href)"
            )
            assert any("mybinder.org/v2/gh/" in link for link in links), links
            assert any("colab.research.google.com" in link for link in links), links
            assert any("hub/user-redirect/git-pull" in link for link in links), links
            assert page.page.locator(".dropdown-launch-buttons .btn-launch-thebe").count() == 1
    finally:
        page.close()


def _expected_state(explorer) -> int:
    data = json.loads(explorer.locator("script.dlx-data").text_content())
    state = 0
    for k, control in enumerate(data["controls"]):
        field = explorer.locator(f'[data-dlx-control="{k}"]')
        if field.get_attribute("type") == "checkbox":
            index = 1 if field.is_checked() else 0
        else:
            index = int(field.input_value())
        state = state * len(control["labels"]) + index
    return state


def _assert_shows(explorer, state: int) -> None:
    data = json.loads(explorer.locator("script.dlx-data").text_content())
    figure = explorer.locator("img.dlx-figure")
    assert figure.get_attribute("data-state") == str(state)
    src = figure.get_attribute("src")
    assert src == "data:image/webp;base64," + data["images"][data["state_of"][state]]
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")


CHAPTERS = [page for page in toc_pages() if page.startswith("chapters/")]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_explorer_control_shows_the_matching_figure(browser, site, name):
    page = OfflinePage(browser, (site / f"{name}.html").as_uri())
    try:
        explorers = page.page.locator("div.dlx")
        assert explorers.count() >= 1, "every chapter has at least one explorer"
        for e in range(explorers.count()):
            explorer = explorers.nth(e)
            explorer.scroll_into_view_if_needed()
            n_states = int(explorer.get_attribute("data-n-states"))
            assert f"all {n_states} states" in explorer.locator(".dlx-note").text_content()
            _assert_shows(explorer, _expected_state(explorer))
            fields = explorer.locator("[data-dlx-control]")
            for k in range(fields.count()):
                field = fields.nth(k)
                before = explorer.locator("img.dlx-figure").get_attribute("data-state")
                kind = field.get_attribute("type") or field.evaluate("e => e.tagName")
                if kind == "checkbox":
                    field.click()
                elif kind == "SELECT":
                    options = field.locator("option").count()
                    # by position: Playwright matches a string against labels too, and a
                    # label such as "3" may stand on another option than value "3"
                    field.select_option(index=(int(field.input_value()) + 1) % options)
                else:  # a range slider: move it with the keyboard, as a reader would
                    field.focus()
                    at_end = field.input_value() == field.get_attribute("max")
                    page.page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                state = _expected_state(explorer)
                assert str(state) != before, f"control {k} of explorer {e} did not move"
                _assert_shows(explorer, state)
        assert page.errors == [], page.errors
    finally:
        page.close()


# axe-core's rule sets for WCAG 2.0 and 2.1, levels A and AA
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SEVERE = ("serious", "critical")


def _wait_for_maths(page) -> None:
    """Let MathJax finish typesetting (the labels of explorer controls are maths too)."""
    page.wait_for_function(
        "() => window.MathJax === undefined || (MathJax.startup && MathJax.startup.promise)",
        timeout=30_000,
    )
    page.evaluate("async () => { if (window.MathJax) { await MathJax.startup.promise; } }")


@pytest.mark.parametrize("name", toc_pages())
def test_page_has_no_serious_accessibility_violations(browser, site, name):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _missing("axe-playwright-python is not installed: `pip install -r requirements.txt`")
    page = OfflinePage(browser, (site / f"{name}.html").as_uri())
    try:
        _wait_for_maths(page.page)
        violations = Axe().run(page.page, options=AXE_OPTIONS).response["violations"]
        severe = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; first at "
            f"{v['nodes'][0]['target']}"
            for v in violations
            if v["impact"] in SEVERE
        ]
        assert severe == [], "\n".join(severe)
    finally:
        page.close()


FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


@pytest.mark.parametrize("name", toc_pages())
def test_every_image_says_what_it_shows(browser, site, name):
    """An image's alternative text is what a screen reader reads out: not a file name."""
    page = OfflinePage(browser, (site / f"{name}.html").as_uri())
    try:
        images = page.page.eval_on_selector_all(
            "main img", "els => els.map(e => [e.getAttribute('src'), e.getAttribute('alt')])"
        )
        bad = [
            (src[:60], alt)
            for src, alt in images
            if not (alt or "").strip() or FILE_NAME.match(alt.strip())
        ]
        assert bad == [], f"{len(bad)} of {len(images)} images lack a description: {bad}"
    finally:
        page.close()


def test_search_finds_a_term(browser, site):
    page = OfflinePage(browser, (site / "search.html").as_uri() + "?q=perceptron")
    try:
        results = page.page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=30_000)
        assert results.count() >= 2
        assert any(
            "perceptron" in results.nth(i).text_content().lower() for i in range(results.count())
        )
    finally:
        page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab():
    """JupyterLab on a free loopback port, over a temporary copy of the chapters."""
    workdir = Path(tempfile.mkdtemp(prefix="dlcourse-lab-"))
    shutil.copytree(ROOT / "chapters", workdir / "chapters")
    settings = workdir / "settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(
        json.dumps(
            {
                "@jupyterlab/apputils-extension:notification": {
                    "fetchNews": "false",
                    "checkForUpdates": False,
                },
            }
        )
    )
    port, token = _free_port(), "dlcourse-test"
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(workdir / "user-settings"),
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
    }
    env.pop(  # the live version must not see the book build's switch
        "DLCOURSE_STATIC_EXPLORERS", None
    )
    jupyter = Path(sys.executable).with_name("jupyter")
    process = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={workdir}",
            f"--LabServerApp.app_settings_dir={settings}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield f"http://127.0.0.1:{port}", token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def test_chapter_runs_in_jupyterlab_and_its_explorer_is_live(browser, jupyterlab):
    url, token = jupyterlab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{url}/lab/tree/chapters/02_neurons_and_perceptron.ipynb?token={token}")
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        status = page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Idle")
        status.first.wait_for(timeout=60_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        busy = page.locator(".jp-StatusBar-Widget", has_text="Python 3 (ipykernel) | Busy")
        busy.first.wait_for(timeout=30_000)
        status.first.wait_for(timeout=120_000)
        images = page.locator(".widget-image")
        images.first.wait_for(timeout=30_000)
        # (JupyterLab renders only the cells near the viewport, so count no further)
        first = images.first
        first.scroll_into_view_if_needed()
        before = first.get_attribute("src")
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "before => document.querySelector('.widget-image').src !== before",
            arg=before,
            timeout=30_000,
        )
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "dlcourse-jupyterlab.png"))
        assert "Error displaying widget" not in page.content()
        assert page.locator(".jp-OutputArea-output[data-mime-type*=error]").count() == 0
    finally:
        context.close()
