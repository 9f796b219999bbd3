"""Build every chapter as a reveal.js slide deck, from the book's executed notebooks.

Usage (from the repository root, after building the book)::

    python instructor/build_slides.py                   # every chapter of _toc.yml
    python instructor/build_slides.py chapters/04_multilayer_perceptron.ipynb
    python instructor/build_slides.py --execute-missing # run uncached chapters once, into the cache

The notebooks are not executed again: each chapter's outputs come from the book build's
execution cache (jupyter-cache, ``_build/.jupyter_cache``; ``_config.yml`` sets
``execute_notebooks: cache``). That build ran with precomputed explorers switched on, so the
explorers in the decks are the same kernel-free HTML/JS as on the website. A chapter that is
not in the cache (never built, or edited since) stops the build with a message, unless
``--execute-missing`` is given: then it is executed once, exactly as the book build would
(precomputed explorers on), and stored in the cache, where the next book build finds it too.

Which cells are slides, sub-slides, fragments, notes or skipped is the standard
``slideshow`` cell metadata of the notebooks (see ``instructor/tag_slides.py``). On top of it
the decks drop what the book hides: cells tagged ``remove-cell``, the inputs of cells tagged
``hide-input``/``remove-input`` and of explorers, and the answers of the exercises
(``<details>`` blocks). MyST roles (``{term}``, ``{cite:t}``, ``{cite:p}``) become plain text.

The decks go to ``_build/html/slides/`` by default, beside the book's pages, so that the
"Slides" link of every chapter page (``instructor/slides_link.py``) works on the published
site and locally; reveal.js (``instructor/vendor/``) and MathJax (from sphinx-mathjax-offline)
are copied next to them, so the decks work with no network.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = ROOT / "_build" / ".jupyter_cache"
DEFAULT_OUT = ROOT / "_build" / "html" / "slides"
REVEAL_DIR = "reveal.js"
MATHJAX_DIR = "mathjax"
HIDDEN_INPUT_TAGS = {"hide-input", "remove-input"}
ANSWER = re.compile(r"<details>\s*<summary>\s*Answer.*?</details>\s*", re.S | re.I)

__all__ = ["NotCachedError", "build", "executed_notebook", "slides_notebook", "toc_chapters"]


class NotCachedError(LookupError):
    """A chapter has no executed copy in the cache."""


def toc_chapters() -> list[Path]:
    """The chapter notebooks, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return [ROOT / f"{f}.ipynb" for f in files if f.startswith("chapters/")]


def executed_notebook(path: Path, cache, *, execute_missing: bool = False, timeout: int = 300):
    """The chapter at ``path`` with the outputs of its cached execution.

    The stored notebook (with its current metadata) is matched to the cache by the hash of
    its code cells, as the book build does. If it is not there, raise :class:`NotCachedError`,
    or with ``execute_missing`` run it once, with precomputed explorers, and cache it.
    """
    nb = nbformat.read(path, as_version=4)
    try:
        return cache.merge_match_into_notebook(nb)[1]
    except KeyError:
        if not execute_missing:
            raise NotCachedError(path.name) from None
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    from dlcourse import sphinxext

    # the book build's own switch (it sets the environment variable the kernel inherits):
    # explorers become precomputed HTML/JS, as on the website
    sphinxext.setup(None)
    print(f"  executing {path.name} into the cache (once)", flush=True)
    result = single_nb_execution(
        nb, cwd=str(path.parent), allow_errors=False, timeout=timeout, meta_override=True
    )
    if result.err is not None:
        raise RuntimeError(f"{path.name} failed:\n{result.exc_string}")
    cache.cache_notebook_bundle(
        CacheBundleIn(nb, str(path), data={"execution_seconds": result.time}),
        check_validity=False,
        overwrite=True,
    )
    return cache.merge_match_into_notebook(nbformat.read(path, as_version=4))[1]


def _bibliography() -> dict[str, tuple[str, str]]:
    """``key -> (authors, year)`` from references.bib, enough for citations in a deck."""
    entries = {}
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    for match in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        key, body = match.groups()
        fields = dict(re.findall(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", body, re.M))
        names = [n.strip() for n in fields.get("author", key).split(" and ")]
        surnames = [n.split(",")[0] if "," in n else n.split()[-1] for n in names]
        surnames = [s.strip("{}") for s in surnames]
        if len(surnames) > 2:
            authors = f"{surnames[0]} et al."
        else:
            authors = " and ".join(surnames)
        entries[key] = (authors, fields.get("year", ""))
    return entries


def _plain_myst(text: str, bib: dict[str, tuple[str, str]]) -> str:
    """Turn the MyST roles the chapters use into plain Markdown."""

    def term(match):
        inner = match.group(1)
        return re.sub(r"\s*<[^<>]+>$", "", inner)

    def cite(match):
        kind, keys = match.group(1), [k.strip() for k in match.group(2).split(",")]
        refs = [bib.get(k, (k, "")) for k in keys]
        if kind == "t":
            return "; ".join(f"{a} ({y})" for a, y in refs)
        return "(" + "; ".join(f"{a}, {y}" for a, y in refs) + ")"

    text = re.sub(r"\{term\}`([^`]+)`", term, text)
    text = re.sub(r"\{cite:([tp])\}`([^`]+)`", cite, text)
    return re.sub(r"\{(?:ref|numref|doc)\}`([^`<]+?)(?:\s*<[^`]+>)?`", r"\1", text)


def _split_at_headings(text: str) -> list[str]:
    """``text`` cut before every ``##``/``###`` heading after its first line (not in code)."""
    parts, current, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if current and not fenced and re.match(r"#{2,3} ", line):
            parts.append("\n".join(current).strip())
            current = []
        current.append(line)
    parts.append("\n".join(current).strip())
    return [p for p in parts if p] or [""]


def slides_notebook(nb, bib: dict[str, tuple[str, str]] | None = None):
    """A copy of an executed chapter, ready for nbconvert's slides exporter."""
    bib = _bibliography() if bib is None else bib
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell.cell_type == "markdown":
            cell.source = _plain_myst(ANSWER.sub("", cell.source), bib)
            first, *parts = _split_at_headings(cell.source)
            cell.source = first
            cells.append(cell)
            for part in parts:
                kind = "slide" if part.startswith("## ") else "subslide"
                cells.append(
                    nbformat.v4.new_markdown_cell(
                        part, metadata={"slideshow": {"slide_type": kind}}
                    )
                )
            continue
        elif cell.cell_type == "code":
            explorer = any('class="dlx"' in str(out.get("data", {})) for out in cell.outputs)
            if tags & HIDDEN_INPUT_TAGS or explorer:
                cell.metadata["transient"] = {"remove_source": True}  # as nbconvert does
            if "remove-output" in tags:
                cell.outputs = []
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)  # explorers are static: no widget manager needed
    return nb


def _exporter():
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        extra_template_basedirs=[str(HERE / "templates")],
        template_name="dlcourse_slides",
        reveal_url_prefix=REVEAL_DIR,
        reveal_theme="white",
        mathjax_url=f"{MATHJAX_DIR}/tex-chtml.js",
        require_js_url="",
        jquery_url="",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


def _copy_assets(out: Path) -> None:
    """reveal.js (vendored) and MathJax 3 (from sphinx-mathjax-offline) beside the decks."""
    shutil.copytree(HERE / "vendor" / REVEAL_DIR, out / REVEAL_DIR, dirs_exist_ok=True)
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("sphinx-mathjax-offline is missing: pip install -r requirements.txt")
    mathjax = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"
    (out / MATHJAX_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copy2(mathjax / "tex-chtml.js", out / MATHJAX_DIR / "tex-chtml.js")
    # the fonts, and the TeX extensions MathJax loads on demand (\boldsymbol, ...)
    for part in (Path("output") / "chtml" / "fonts" / "woff-v2", Path("input") / "tex"):
        shutil.copytree(mathjax / part, out / MATHJAX_DIR / part, dirs_exist_ok=True)


def count_slides(html: str) -> int:
    """Slides in a deck built by this script: sections that hold no other section."""
    sections = len(re.findall(r"<section\b", html))
    stacks = len(re.findall(r"<section\b[^>]*>\s*<section\b", html))
    return sections - stacks


def build(
    chapters: list[Path],
    *,
    cache_path: Path = DEFAULT_CACHE,
    out: Path = DEFAULT_OUT,
    execute_missing: bool = False,
) -> dict[str, int]:
    """Build one deck per chapter into ``out``; return ``{deck file name: slides}``."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    notebooks, missing = {}, []
    for path in chapters:
        try:
            notebooks[path] = executed_notebook(path, cache, execute_missing=execute_missing)
        except NotCachedError:
            missing.append(path.name)
    if missing:
        raise NotCachedError(
            f"not in the execution cache {cache_path}: {', '.join(missing)}. Build the book "
            "first (README's set-up command), or pass --execute-missing to execute them once "
            "into the cache."
        )
    out.mkdir(parents=True, exist_ok=True)
    _copy_assets(out)
    bib, exporter, decks = _bibliography(), _exporter(), {}
    for path, nb in notebooks.items():
        resources = {
            "metadata": {"name": nb.cells[0].source.splitlines()[0].lstrip("# ")},
            "dlcourse_page_url": f"../chapters/{path.stem}.html",
        }
        html, _ = exporter.from_notebook_node(slides_notebook(nb, bib), resources=resources)
        (out / f"{path.stem}.html").write_text(html, encoding="utf-8")
        decks[f"{path.stem}.html"] = count_slides(html)
    _write_index(out, decks)
    return decks


def _write_index(out: Path, decks: dict[str, int]) -> None:
    items = "\n".join(
        f'<li><a href="{name}">{name.removesuffix(".html")}</a> ({n} slides)</li>'
        for name, n in decks.items()
    )
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Slide decks</title></head>\n<body><h1>Slide decks, one per chapter</h1>\n"
        f'<ul>\n{items}\n</ul>\n<p><a href="../intro.html">The book</a></p></body></html>\n',
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="default: every chapter of _toc.yml")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="jupyter-cache folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the decks go")
    parser.add_argument(
        "--execute-missing", action="store_true", help="execute uncached chapters into the cache"
    )
    args = parser.parse_args(argv)
    chapters = [p.resolve() for p in args.chapters] or toc_chapters()
    try:
        decks = build(
            chapters, cache_path=args.cache, out=args.out, execute_missing=args.execute_missing
        )
    except NotCachedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for name, n in decks.items():
        print(f"{n:4d} slides  {args.out / name}")
    print(json.dumps({"decks": len(decks), "slides": sum(decks.values())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
