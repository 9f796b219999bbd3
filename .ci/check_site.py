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
        # explorers: precomputed HTML/JS with every state's figure, the page under 3 MB
        explorers = re.findall(r'<div class="dlx" [^>]*data-n-states="(\d+)"', html)
        data = re.findall(r'<script type="application/json" class="dlx-data">(.*?)</script>',
                          html, re.S)
        if not explorers:
            problems.append(f"{page.name}: no precomputed explorer on the page")
        for n_states, blob in zip(explorers, data):
            d = json.loads(blob)
            if len(d["state_of"]) != int(n_states) or max(d["state_of"]) >= len(d["images"]):
                problems.append(f"{page.name}: explorer {d['name']} lacks figures for its states")
        if "application/vnd.jupyter.widget-view+json" in html:
            problems.append(f"{page.name}: a live widget view needs a kernel on the static page")
        if len(html.encode()) > 3_000_000:
            problems.append(f"{page.name}: {len(html.encode()) / 1e6:.1f} MB, over 3 MB")
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        if external:
            problems.append(f"{page.name}: loads assets from other hosts: {external}")
        print(f"{page.name}: {len(explorers)} explorers, {len(html) // 1024} KiB")
    if not (site / "_static" / config["sphinx"]["config"]["mathjax_path"]).exists():
        problems.append("MathJax is not served from the site itself")
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
