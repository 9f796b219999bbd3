"""The instructors' slide decks: slideshow metadata, deck contents, and every deck offline.

The metadata tests read the stored notebooks. The deck tests read what
``instructor/build_slides.py`` writes into ``_build/html/slides`` after the book build
(``DLCOURSE_BUILD`` names another ``_build`` folder); outside CI they skip, saying why, when
the decks or Chromium are missing; in CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from pathlib import Path

import pytest
from _instructor import IN_CI, load_script

ROOT = Path(__file__).resolve().parents[1]
BUILD = Path(os.environ.get("DLCOURSE_BUILD", ROOT / "_build"))
SITE = BUILD / "html"
DECKS = SITE / "slides"
CACHE = BUILD / ".jupyter_cache"
CHROMIUM = os.environ.get("DLCOURSE_CHROMIUM", "/usr/bin/chromium")


tag_slides = load_script("tag_slides")
build_slides = load_script("build_slides")
CHAPTERS = build_slides.toc_chapters()
IDS = [path.stem for path in CHAPTERS]


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell) -> str:
    return "".join(cell["source"])


def _slide_type(cell) -> str:
    return cell["metadata"].get("slideshow", {}).get("slide_type", "-")


def _is_explorer(cell) -> bool:
    return cell["cell_type"] == "code" and re.search(r"\bexplore\(", _source(cell)) is not None


def _is_exercise_code(cell, next_cell=None) -> bool:
    source = _source(cell)
    return cell["cell_type"] == "code" and (
        "# your code here" in source
        or source.startswith("# Solution")
        or (next_cell is not None and _source(next_cell).startswith("# Solution"))
    )


def _solution_only_lines(cells) -> list[str]:
    """Code lines of the exercise solutions that appear nowhere else in the chapter."""
    solutions = [c for c in cells if _source(c).startswith("# Solution")]
    elsewhere = "\n".join(_source(c) for c in cells if c not in solutions)
    lines = {line.strip() for c in solutions for line in _source(c).splitlines()[1:]}
    return sorted(line for line in lines if len(line) > 12 and line not in elsewhere)


# ---------------------------------------------------------------- metadata in the notebooks


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_slideshow_metadata_is_up_to_date(path):
    nb = _notebook(path)
    changed = tag_slides.tag_notebook(copy.deepcopy(nb))
    assert changed == 0, (
        f"{changed} cells of {path.name} lack their slideshow metadata: "
        "run `python instructor/tag_slides.py`"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_deck_plan_is_a_lecture(path):
    """Title and objectives, sections, figures, explorers and summary; no solutions."""
    cells = _notebook(path)["cells"]
    assert _slide_type(cells[0]) == "slide" and _source(cells[0]).startswith("# ")
    assert "What you'll learn" in _source(cells[0])
    shown = [c for c in cells if _slide_type(c) not in ("skip", "notes")]
    starts = [c for c in shown if _slide_type(c) in ("slide", "subslide")]
    assert len(starts) >= 8, f"only {len(starts)} slides"
    assert any(re.search(r"^## Summary", _source(c), re.M) for c in shown), "no summary"
    explorers = [c for c in cells if _is_explorer(c)]
    assert explorers, "every chapter has an explorer"
    assert all(_slide_type(c) == "subslide" for c in explorers), "an explorer is not shown"
    figures = [c for c in cells if "hide-input" in c["metadata"].get("tags", [])]
    figures = [c for c in figures if not _is_exercise_code(c)]
    assert all(_slide_type(c) == "subslide" for c in figures), "a figure is not shown"
    exercises = [c for c, n in zip(cells, [*cells[1:], None]) if _is_exercise_code(c, n)]
    assert exercises and all(_slide_type(c) == "skip" for c in exercises)


def _cell(cell_type, source, **metadata):
    return {"cell_type": cell_type, "metadata": metadata, "source": source}


def test_tag_rules():
    rule = tag_slides.slide_type
    assert rule(_cell("markdown", "# Title\n\ntext"), 0) == "slide"
    assert rule(_cell("markdown", "## Setup"), 1) == "skip"
    assert rule(_cell("code", "if 'google.colab' in sys.modules:\n    pass"), 2) == "skip"
    assert rule(_cell("markdown", "## Summary\n\n- a"), 9) == "slide"
    assert rule(_cell("markdown", "### Exercise 1: x"), 9) == "subslide"
    assert rule(_cell("code", "plot()", tags=["hide-input"]), 9) == "subslide"
    assert rule(_cell("code", "explore(draw, w=Slider(0, 1, 0.5))"), 9) == "subslide"
    assert rule(_cell("code", "assert x", tags=["remove-cell"]), 9) == "skip"
    assert rule(_cell("code", "def f(x):\n    ...  # your code here\n\n\ncheck_f(f)"), 9) == "skip"
    assert rule(_cell("code", "# Solution\ndef f(x):\n    return x", tags=["hide-input"]), 9) == (
        "skip"
    )
    solution = _cell("code", "# Solution: w = 1\nw = 1\ncheck_w(w)", tags=["hide-input"])
    assert rule(_cell("code", "w = 0  # change this\ncheck_w(w)"), 9, solution) == "skip"
    assert rule(_cell("code", "w = 0"), 9, _cell("code", "print(w)")) == "-"
    assert rule(_cell("markdown", "word " * 300), 9) == "notes"
    assert rule(_cell("markdown", "A short remark."), 9) == "-"
    assert rule(_cell("code", "x = 1"), 9) == "-"


def test_tagging_is_idempotent_minimal_and_keeps_manual_choices():
    nb = {
        "cells": [
            _cell("markdown", "# Title"),
            _cell("code", "x = 1"),
            _cell("markdown", "## Section", slideshow={"slide_type": "fragment"}),
            _cell(
                "markdown",
                "A remark",
                slideshow={"slide_type": "fragment"},
                tags=[tag_slides.MANUAL_TAG],
            ),
            _cell("markdown", "Plain", slideshow={"slide_type": "subslide"}),
        ]
    }
    assert tag_slides.tag_notebook(nb) == 3
    assert nb["cells"][0]["metadata"] == {"slideshow": {"slide_type": "slide"}}
    assert nb["cells"][1]["metadata"] == {}  # "-" is stored as nothing at all
    assert _slide_type(nb["cells"][2]) == "slide"  # a rule wins over an untagged edit
    assert _slide_type(nb["cells"][3]) == "fragment"  # the tagged manual choice stays
    assert "slideshow" not in nb["cells"][4]["metadata"]
    assert tag_slides.tag_notebook(nb) == 0


def test_slides_notebook_drops_answers_hidden_inputs_and_myst_roles():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "Q? A {term}`neuron <artificial neuron>` and {cite:t}`rosenblatt1958`, "
            "{cite:p}`mcculloch1943`.\n\n<details>\n<summary>Answer</summary>\n\n42\n\n"
            "</details>\n"
        ),
        nbformat.v4.new_code_cell("secret_plot()", metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_code_cell("hidden()", metadata={"tags": ["remove-cell"]}),
    ]
    slides = build_slides.slides_notebook(nb)
    text = slides.cells[0].source
    assert "42" not in text and "Answer" not in text
    assert "{term}" not in text and "{cite" not in text
    assert "A neuron and Rosenblatt (1958), (McCulloch and Pitts, 1943)." in text
    assert slides.cells[1].metadata["transient"] == {"remove_source": True}
    assert len(slides.cells) == 2
    nb.cells = [nbformat.v4.new_markdown_cell("Text.\n\n## Summary\n\n- a\n\n### More\n\nb")]
    parts = build_slides.slides_notebook(nb).cells
    assert [c.source.splitlines()[0] for c in parts] == ["Text.", "## Summary", "### More"]
    assert [c.metadata.get("slideshow", {}).get("slide_type") for c in parts[1:]] == [
        "slide",
        "subslide",
    ]


def test_an_uncached_chapter_is_reported_not_executed(tmp_path):
    with pytest.raises(build_slides.NotCachedError, match="Build the book first"):
        build_slides.build(CHAPTERS[:1], cache_path=tmp_path / "empty", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- the built decks


@pytest.fixture(scope="module")
def decks():
    if not (DECKS / "index.html").exists():
        _missing(
            f"no slide decks in {DECKS}: build the book, then run "
            "`python instructor/build_slides.py`"
        )
    return DECKS


EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//")


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_deck_has_the_chapter_and_no_solutions(decks, path):
    deck = (decks / f"{path.stem}.html").read_text(encoding="utf-8")
    cells = _notebook(path)["cells"]
    assert build_slides.count_slides(deck) >= 8
    text = html.unescape(re.sub(r"<[^>]+>", "", deck))  # what the deck shows, as text
    title = _source(cells[0]).splitlines()[0].removeprefix("# ")
    assert title in text and "What you'll learn" in text and "Summary" in text
    n_explorers = sum(_is_explorer(c) for c in cells)
    assert deck.count('<div class="dlx" ') == n_explorers, "an explorer is missing"
    n_figures = sum(
        "hide-input" in c["metadata"].get("tags", []) and not _is_exercise_code(c) for c in cells
    )
    assert deck.count("data:image/png;base64,") >= n_figures // 2, "figures are missing"
    assert "# Solution" not in deck and "<summary>Answer" not in deck
    for cell in cells:  # explorers and figures show their output, not their code
        if _is_explorer(cell) or "hide-input" in cell["metadata"].get("tags", []):
            assert _source(cell).splitlines()[0] not in text, _source(cell).splitlines()[0]
    for line in _solution_only_lines(cells):
        assert line not in text, f"a solution is shown: {line}"
    assert not EXTERNAL.findall(deck), "a script or style sheet from another host"
    assert "{term}" not in deck and "{cite" not in deck


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_page_links_to_its_deck(decks, path):
    page = (SITE / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
    assert f'<a href="../slides/{path.stem}.html"' in page
    assert (decks / f"{path.stem}.html").exists()


def test_build_reuses_the_cache(tmp_path):
    if not CACHE.exists():
        _missing(f"no execution cache in {CACHE}: build the book first")
    decks = build_slides.build(CHAPTERS[:1], cache_path=CACHE, out=tmp_path)
    assert list(decks) == [f"{CHAPTERS[0].stem}.html"]
    assert (tmp_path / "reveal.js" / "dist" / "reveal.js").exists()
    assert (tmp_path / "mathjax" / "tex-chtml.js").exists()


# ---------------------------------------------------------------- every deck in Chromium


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM}: `sudo apt-get install chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed: `pip install -r requirements.txt`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_deck_offline_step_through_and_move_an_explorer(browser, decks, path):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside, errors = [], []

    def block(route):
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!file:|data:|blob:|about:).*"), block)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    deck = (decks / f"{path.stem}.html").read_text(encoding="utf-8")
    try:
        page.goto((decks / f"{path.stem}.html").as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        total = page.evaluate("Reveal.getTotalSlides()")
        assert total >= 8
        if re.search(r"\$[^$\s][^$]*\$|\\\(", deck):
            page.wait_for_function(
                "() => document.querySelectorAll('mjx-container').length > 0", timeout=30_000
            )
        seen = {json.dumps(page.evaluate("Reveal.getIndices()"))}
        for _ in range(total + 5):  # step through with the keyboard, as a lecturer would
            if page.evaluate("Reveal.isLastSlide()"):
                break
            page.keyboard.press("Space")  # next slide, vertical ones included
            seen.add(json.dumps(page.evaluate("Reveal.getIndices()")))
        assert page.evaluate("Reveal.isLastSlide()")
        assert len(seen) == total, f"visited {len(seen)} of {total} slides"

        # go to the first explorer's slide and move its first control
        explorer = page.locator("div.dlx").first
        indices = explorer.evaluate("e => Reveal.getIndices(e.closest('section'))")
        page.evaluate(f"Reveal.slide({indices['h']}, {indices.get('v') or 0})")
        page.wait_for_timeout(500)  # the slide transition
        assert explorer.is_visible()
        data = json.loads(explorer.locator("script.dlx-data").text_content())
        figure = explorer.locator("img.dlx-figure")
        before = figure.get_attribute("data-state")
        field = explorer.locator('[data-dlx-control="0"]')
        kind = field.get_attribute("type") or field.evaluate("e => e.tagName")
        if kind == "checkbox":
            field.click()
        elif kind == "SELECT":
            n = field.locator("option").count()
            field.select_option(index=(int(field.input_value()) + 1) % n)
        else:
            field.focus()
            at_end = field.input_value() == field.get_attribute("max")
            page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
        after = figure.get_attribute("data-state")
        assert after != before, "the explorer's figure did not change"
        assert page.evaluate("Reveal.getIndices()")["h"] == indices["h"], "the deck moved"
        src = figure.get_attribute("src")
        assert src == "data:image/webp;base64," + data["images"][data["state_of"][int(after)]]
        assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
        assert outside == [], f"requests to other hosts: {outside}"
        assert errors == [], f"console errors: {errors}"
    finally:
        context.close()
