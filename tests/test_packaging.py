"""Packaging: every imported library is declared (and every declared one imported), one
version source, the licence, py.typed, the constraints CI installs with; and the wheel, built
and installed in a fresh virtualenv, runs."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import lushbeat_cli
from tests.conftest import EXAMPLES, REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
PACKAGE = REPO / "src" / "lushbeat_cli"


def requirement_name(text: str) -> str:
    return re.split(r"[<>=!~;\[ ]", text, maxsplit=1)[0].strip().lower().replace("_", "-")


def third_party_imports() -> set[str]:
    stdlib = set(sys.stdlib_module_names)
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in stdlib and top not in ("lushbeat_cli", "__future__"):
                    found.add(top)
    return found


def test_every_imported_library_is_declared_and_every_declared_one_imported() -> None:
    distributions = importlib.metadata.packages_distributions()
    imported = {requirement_name(distributions[module][0]) for module in third_party_imports()}
    declared = {requirement_name(text) for text in PROJECT["dependencies"]}
    assert imported == declared
    assert "pyyaml" in declared and "python-frontmatter" not in declared


def test_one_version_source() -> None:
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    attr = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "lushbeat_cli.__version__"
    assert importlib.metadata.version("lushbeat-cli") == lushbeat_cli.__version__
    assert "0.1.0" not in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_licence_typing_and_classifiers() -> None:
    assert PROJECT["license"] == "MIT"  # an SPDX expression, not the deprecated table
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "The lushbeat team" in text
    assert (PACKAGE / "py.typed").is_file()
    classifiers = PROJECT["classifiers"]
    assert "Typing :: Typed" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the SPDX field
    minimum = PROJECT["requires-python"].removeprefix(">=")
    assert f"Programming Language :: Python :: {minimum}" in classifiers


def test_ci_installs_with_the_constraints_which_pin_every_package() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "-c constraints.txt -e '.[test]'" in ci
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pins[requirement_name(name)] = version
    wanted = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]]
    for requirement in wanted:
        assert requirement_name(requirement) in pins, requirement


@pytest.mark.slow
def test_the_wheel_installs_in_a_fresh_virtualenv_and_runs(tmp_path: Path) -> None:
    """What a user's `pip install lushbeat-cli` gets: the built wheel alone, in a virtualenv
    with nothing else, its dependencies resolved by pip as for any install."""
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0 and "No matching distribution" in built.stderr:
        pytest.skip(f"no package index to build with: {built.stderr[-300:]}")
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("lushbeat_cli-*.whl")
    assert wheel.name.startswith(f"lushbeat_cli-{lushbeat_cli.__version__}-py3-none-any")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    constraints = ["-c", str(REPO / "constraints.txt")]
    installed = subprocess.run(
        [*pip, *constraints, str(wheel)], capture_output=True, text=True, timeout=600
    )
    if installed.returncode != 0 and "No matching distribution" in installed.stderr:
        pytest.skip(f"no package index to install from: {installed.stderr[-300:]}")
    assert installed.returncode == 0, installed.stderr
    lushbeat = venv / "bin" / "lushbeat"
    version = subprocess.run([str(lushbeat), "--version"], capture_output=True, text=True)
    assert version.stdout == f"lushbeat {lushbeat_cli.__version__}\n"
    listed = subprocess.run(
        [str(lushbeat), "-C", str(EXAMPLES), "list", "--format", "paths", "--no-index"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) > 30
    check = (
        "import importlib.metadata as m, importlib.resources as r\n"
        "print(r.files('lushbeat_cli').joinpath('py.typed').is_file())\n"
        "print(m.metadata('lushbeat-cli')['License-Expression'])\n"
    )
    inside = subprocess.run(
        [str(venv / "bin" / "python"), "-c", check], capture_output=True, text=True
    )
    assert inside.stdout.splitlines() == ["True", "MIT"], inside.stderr


@pytest.mark.slow
def test_python_m_build_and_twine_check_pass(tmp_path: Path) -> None:
    """A release as a maintainer makes it: `python -m build` gives an sdist and a wheel, and
    `twine check` (PyPI's rendering of the metadata and README) passes on both. The tools go
    into a virtualenv of their own: they are not the project's dependencies."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    tools = subprocess.run(
        [python, "-m", "pip", "install", "-q", "build", "twine"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if tools.returncode != 0 and "No matching distribution" in tools.stderr:
        pytest.skip(f"no package index to install build and twine from: {tools.stderr[-300:]}")
    assert tools.returncode == 0, tools.stderr
    dist = tmp_path / "dist"
    built = subprocess.run(
        [python, "-m", "build", "--outdir", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    version = lushbeat_cli.__version__
    names = sorted(path.name for path in dist.iterdir())
    assert names == [f"lushbeat_cli-{version}-py3-none-any.whl", f"lushbeat_cli-{version}.tar.gz"]
    checked = subprocess.run(
        [python, "-m", "twine", "check", "--strict", *(str(dist / name) for name in names)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2, checked.stdout
