"""Refresh the README's picture, ``docs/screenshot.png``: the Program page on a freshly published
copy of the sample training data, taken in a real browser.

    python tests/browser/screenshot.py [--out PATH]

It starts its own ``streamlit run app.py`` on a free loopback port with an empty data folder in a
temporary directory, drives Debian's Chromium (``/usr/bin/chromium``) through Playwright, and
writes only the picture. The tests never write it (they take theirs in a temporary folder), so
running the tests leaves the checkout clean.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_flow import CHROMIUM, ROOT, chromium, publish_sample_and_open_program, streamlit_server  # noqa: E402

SCREENSHOT = ROOT / "docs" / "screenshot.png"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SCREENSHOT, help=f"where to write the PNG (default {SCREENSHOT})")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright import sync_api

    with tempfile.TemporaryDirectory(prefix="evaluasi-screenshot-") as folder:
        with streamlit_server(Path(folder)) as server, chromium(sync_api) as page:
            publish_sample_and_open_program(page, server)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
