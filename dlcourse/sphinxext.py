"""Sphinx extension of the book build (``sphinx: extra_extensions`` in ``_config.yml``).

It sets :data:`dlcourse.widgets.PRECOMPUTED_ENV`, which the kernels executing the chapters
inherit, so every explorer is precomputed (JupyterLab, Binder and nbval keep live widgets).
Against console errors: an explicit default colour mode, and no script added twice
(sphinx-thebe's inline ``THEBE_JS_URL`` would be declared twice).
"""

from __future__ import annotations

import os

from . import __version__
from .widgets import PRECOMPUTED_ENV

__all__ = ["setup"]


def _default_colour_mode(app, config) -> None:
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")  # figures are drawn on white
    config.html_context = context


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        filename = getattr(script, "filename", str(script)) or ""  # None and "" alike
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app) -> dict:
    """Turn precomputed explorers on for the kernels this build starts."""
    os.environ[PRECOMPUTED_ENV] = "1"
    if app is not None:
        app.connect("config-inited", _default_colour_mode)
        app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
