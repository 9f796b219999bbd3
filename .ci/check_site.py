"""Check that the built book has what _config.yml and _toc.yml promise.

Unknown keys in _config.yml are silently ignored by Jupyter Book, so a typo would just drop a
feature: this script looks at the HTML itself.
"""

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def main(site: Path) -> int:
    problems = []
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    for name in toc_files():
        page = site / f"{name}.html"
        if not page.exists():
            problems.append(f"{page} is missing")
            continue
        html = page.read_text(encoding="utf-8")
        if "Traceback" in html or 'class="output error"' in html:
            problems.append(f"{page.name} shows an error output")
        if not name.startswith("chapters/"):
            continue
        # launch buttons: Binder (JupyterLab interface), Colab, JupyterHub, Live Code
        binder = f"mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/{name}.ipynb"
        for what, needle in [
            ("Binder button", binder),
            ("Colab button", f"colab.research.google.com/github/{repo}/blob/main/{name}.ipynb"),
            ("JupyterHub button", config["launch_buttons"]["jupyterhub_url"]),
            ("Live Code (Thebe) button", "initThebeSBT()"),
            ("repository button", f"github.com/{repo}"),
        ]:
            if needle not in html:
                problems.append(f"{page.name}: no {what} ({needle})")
        # explorers: widget views with their state stored, each showing a drawn figure
        views = len(re.findall(r"application/vnd\.jupyter\.widget-view\+json", html))
        states = re.findall(
            r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>',
            html, re.S)
        if views == 0:
            problems.append(f"{page.name}: no explorer (widget view) on the page")
        if not states:
            problems.append(f"{page.name}: widget state is not stored in the page")
        else:
            state = json.loads(states[0])["state"]
            images = [m for m in state.values() if m["model_name"] == "ImageModel"]
            drawn = [m for m in images if m.get("buffers") or m["state"].get("value")]
            if not images or len(drawn) != len(images):
                problems.append(f"{page.name}: an explorer has no drawn figure in its state")
        print(f"{page.name}: {views} widget views, {len(html) // 1024} KiB")
    for page in ["glossary", "references", "search", "genindex"]:
        if not (site / f"{page}.html").exists():
            problems.append(f"{page}.html is missing")
    glossary = (site / "glossary.html").read_text(encoding="utf-8")
    if not re.search(r"<dl class=\"[^\"]*glossary", glossary) or "term-Perceptron" not in glossary:
        problems.append("glossary.html has no glossary entries")
    for problem in problems:
        print("PROBLEM:", problem)
    print(f"{len(toc_files())} pages checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")))
