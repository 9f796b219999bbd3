"""Sphinx extension: a "Slides" button in the header of every chapter page.

Listed in ``_config.yml`` under ``sphinx: local_extensions`` (which puts this folder on
``sys.path``). The button links to the chapter's reveal.js deck, which
``instructor/build_slides.py`` writes to ``slides/<chapter>.html`` inside the site's output
folder, so the relative link works on the published site and from a local build alike.
"""

from __future__ import annotations

SLIDES_DIR = "slides"

__all__ = ["SLIDES_DIR", "add_slides_button", "setup"]


def add_slides_button(app, pagename, templatename, context, doctree) -> None:
    """Append the button to the theme's header buttons on chapter pages."""
    if not pagename.startswith("chapters/") or "header_buttons" not in context:
        return
    stem = pagename.rsplit("/", 1)[-1]
    context["header_buttons"].append(
        {
            "type": "link",
            "url": context["pathto"](f"{SLIDES_DIR}/{stem}.html", 1),
            "text": "Slides",
            "tooltip": "This chapter as a slide deck (for instructors)",
            "icon": "fas fa-person-chalkboard",
            "label": "slides-button",
        }
    )


def setup(app) -> dict:
    # after sphinx-book-theme's own header buttons (priority 501)
    app.connect("html-page-context", add_slides_button, priority=510)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
