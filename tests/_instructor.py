"""What the instructor-tool tests share: the scripts under ``instructor/``, loaded as modules,
and whether this run is CI (where a missing tool is a failure, not a skip)."""

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def load_script(name: str):
    """Import ``instructor/<name>.py`` (a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "instructor" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
