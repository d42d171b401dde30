"""Screenshots of rendered briefings with headless Chromium: `make screenshots`.

Usage: python scripts/screenshots.py PAGE.html [PAGE.html ...] --out DIR

Each page is opened from disk (file://), with networking off, in a fresh profile; the
PNG is written as DIR/<page name>.png. Needs Debian's `chromium` (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def browser() -> str:
    """The Chromium executable, or exit with what to install."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("screenshots: Chromium not found; install it (apt-get install chromium)")


def screenshot(page: Path, target: Path, size: str) -> None:
    """One PNG of ``page`` at ``size`` (WIDTH,HEIGHT)."""
    with tempfile.TemporaryDirectory(prefix="brief-chromium-") as profile:
        subprocess.run(
            [browser(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
             f"--screenshot={target}", page.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    if not target.is_file():
        sys.exit(f"screenshots: Chromium wrote no {target}")


def main() -> None:
    """Parse the arguments and write one PNG per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"))
    parser.add_argument("--size", default="1100,2400", help="window WIDTH,HEIGHT in pixels")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for page in args.pages:
        if not page.is_file():
            sys.exit(f"screenshots: {page} does not exist; run `make demo` first")
        target = args.out / f"{page.stem}.png"
        screenshot(page, target, args.size)
        print(target)


if __name__ == "__main__":
    main()
