"""An installed wheel carries the prompts and templates, and finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_ships_and_resolves_templates_and_prompts(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((tmp_path / "dist").glob("brief-*.whl"))
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(installed)
    for name in ("sitrep.md.j2", "sitrep.html.j2", "sitrep.css"):
        assert f"briefing/data/templates/{name}" in names
    assert any(n.startswith("briefing/data/prompts/") for n in names)
    # -S: no site-packages, so only the unpacked wheel can answer
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from briefing.resources import resource_dir;"
        "print(resource_dir('templates')); print(resource_dir('prompts'))"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", probe, str(installed)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(installed) for p in out)
    assert (Path(out[0]) / "sitrep.html.j2").is_file()
