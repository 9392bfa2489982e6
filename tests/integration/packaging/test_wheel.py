"""The built wheel carries resources/ and finds it once installed, far from the source checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

#: Runs inside the fresh venv; prints what the installed package found, as JSON.
PROBE = """
import json, sysconfig
from stretchbreak.infra import resources
exercise = resources.load_bundled_exercise()
print(json.dumps({
    "resources_dir": str(resources.resources_dir()),
    "module": resources.__file__,
    "purelib": sysconfig.get_paths()["purelib"],
    "ids": resources.bundled_exercise_ids(),
    "goals": [goal.id for goal in exercise.goals],
}))
"""


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_installed_wheel_loads_the_bundled_exercise(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    dist = tmp_path / "dist"
    pip_wheel = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation")
    run(*pip_wheel, "--no-cache-dir", "-w", dist, REPO, cwd=elsewhere)
    (wheel,) = dist.glob("stretchbreak-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "stretchbreak/resources/exercises/dynamic-back-stretch.toml" in archive.namelist()

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=elsewhere)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip_install = (python, "-m", "pip", "install", "--no-deps", "--no-index", "--no-cache-dir")
    run(*pip_install, wheel, cwd=elsewhere)

    hidden = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    # -I: ignore PYTHONPATH, user site-packages and the current folder, to be doubly sure.
    found = json.loads(run(python, "-I", "-c", PROBE, cwd=elsewhere, env=env))

    site_packages = Path(found["purelib"]).resolve()
    assert site_packages.is_relative_to(venv.resolve())
    assert Path(found["module"]).resolve().is_relative_to(site_packages)
    assert Path(found["resources_dir"]).resolve() == site_packages / "stretchbreak" / "resources"
    assert found["ids"] == ["dynamic-back-stretch"]
    assert found["goals"] == ["warmup", "mobility", "recovery", "desk-reset"]
