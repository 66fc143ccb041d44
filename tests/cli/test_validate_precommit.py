"""`lushbeat validate` as pre-commit and CI run it: real processes, a real git repository, the
repository's own .pre-commit-hooks.yaml, and several validators at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)
FIXTURES = REPO / "tests" / "fixtures" / "validate"
GOOD = "---\ntitle: Rupiah menguat\nslug: rupiah\ndate: 2024-07-29\n---\n\nBody.\n"
BAD = "---\ntittle: Rupiah melemah\ndate: 2024-07-30\n---\n\nBody.\n"
BAD_FINDING = "content/2024/07/bad.md:1:1: LB202 missing required field 'title'"

pytestmark = [
    pytest.mark.skipif(LUSHBEAT is None, reason="lushbeat is not installed (pip install -e .)"),
    pytest.mark.slow,
]


def env(tmp_path: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    values.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="Redaksi",
        GIT_AUTHOR_EMAIL="redaksi@example.org",
        GIT_COMMITTER_NAME="Redaksi",
        GIT_COMMITTER_EMAIL="redaksi@example.org",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    return values


def sh(
    *args: str, cwd: Path, environ: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout
    )


def newsroom_repo(tmp_path: Path, environ: dict[str, str], hook_config: str) -> Path:
    """A git repository with one good article committed and the given pre-commit config."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "newsroom"
    (repo / "content" / "2024" / "07").mkdir(parents=True)
    (repo / "lushbeat.toml").write_text('content_dir = "content"\ntimezone = "Asia/Jakarta"\n')
    (repo / "content" / "2024" / "07" / "rupiah.md").write_text(GOOD)
    (repo / "README.md").write_text("# Newsroom\n")
    (repo / ".pre-commit-config.yaml").write_text(hook_config)
    sh("git", "init", "-q", "-b", "main", cwd=repo, environ=environ)
    sh("git", "add", "-A", cwd=repo, environ=environ)
    committed = sh("git", "commit", "-q", "--no-verify", "-m", "init", cwd=repo, environ=environ)
    assert committed.returncode == 0, committed.stderr
    return repo


def pre_commit(*args: str, cwd: Path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    pytest.importorskip(
        "pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')"
    )
    return sh(sys.executable, "-m", "pre_commit", *args, cwd=cwd, environ=environ, timeout=600)


def test_a_commit_with_a_bad_article_is_blocked_and_a_good_one_passes(tmp_path: Path) -> None:
    environ = env(tmp_path)
    config = (
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: lushbeat-validate\n"
        "        name: lushbeat validate\n"
        f"        entry: {LUSHBEAT} validate\n"
        "        language: system\n"
        "        types: [markdown]\n"
        "        files: ^content/\n"
    )
    repo = newsroom_repo(tmp_path, environ, config)
    installed = pre_commit("install", cwd=repo, environ=environ)
    assert installed.returncode == 0, installed.stderr
    bad = repo / "content" / "2024" / "07" / "bad.md"
    bad.write_text(BAD)
    sh("git", "add", "content/2024/07/bad.md", cwd=repo, environ=environ)
    blocked = sh("git", "commit", "-m", "Add a bad article", cwd=repo, environ=environ)
    assert blocked.returncode == 1
    assert BAD_FINDING in blocked.stdout + blocked.stderr
    log = sh("git", "log", "--oneline", cwd=repo, environ=environ)
    assert len(log.stdout.splitlines()) == 1  # nothing was committed

    bad.write_text(BAD.replace("tittle", "title"))
    (repo / "README.md").write_text("# Newsroom\n\nNo front matter here, and none needed.\n")
    sh("git", "add", "-A", cwd=repo, environ=environ)
    passed = sh("git", "commit", "-m", "Add a good article", cwd=repo, environ=environ)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "lushbeat validate" in passed.stdout + passed.stderr
    log = sh("git", "log", "--oneline", cwd=repo, environ=environ)
    assert len(log.stdout.splitlines()) == 2


def test_the_repositorys_hook_definition_works_with_try_repo(tmp_path: Path) -> None:
    """pre-commit installs this repository from its .pre-commit-hooks.yaml, as a user's would."""
    environ = env(tmp_path)
    repo = newsroom_repo(tmp_path, environ, "repos: []\n")
    (repo / "content" / "2024" / "07" / "bad.md").write_text(BAD)
    sh("git", "add", "-A", cwd=repo, environ=environ)
    files = ["--files", "content/2024/07/bad.md", "content/2024/07/rupiah.md"]
    result = pre_commit(
        "try-repo", str(REPO), "lushbeat-validate", *files, cwd=repo, environ=environ
    )
    output = result.stdout + result.stderr
    if "An error has occurred" in output and "Installing environment" in output:
        pytest.skip(f"pre-commit could not install the hook's environment: {output[-400:]}")
    assert result.returncode == 1, output
    assert BAD_FINDING in output
    good = pre_commit(
        "try-repo",
        str(REPO),
        "lushbeat-validate",
        "--files",
        "content/2024/07/rupiah.md",
        cwd=repo,
        environ=environ,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    assert LUSHBEAT is not None
    return subprocess.Popen(
        [LUSHBEAT, *args],
        cwd=cwd,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_validators_do_not_interfere(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    shutil.copytree(REPO / "examples", project)
    (project / "content" / "2024" / "07" / "bad.md").write_text(BAD)
    alone = start(["validate", "--format", "json"], project).communicate(timeout=60)
    runs = [start(["validate", "--format", "json"], project) for _ in range(4)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 1 for run in runs)
    assert all(out == alone[0] for out, _err in outputs)
    text = start(["validate"], project).communicate(timeout=60)
    assert text[0].startswith("content/2024/07/bad.md:1:1: LB202 ")
    assert "\x1b[" not in text[0] + text[1]  # piped: no colour codes, NO_COLOR unset


def test_concurrent_fixes_of_different_files_do_not_interfere(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / "content").mkdir(parents=True)
    (project / "lushbeat.toml").write_text(
        'content_dir = "content"\n[schema.fields.slug]\nrequired = true\n'
    )
    names = ["yaml-comments", "toml", "crlf"]
    for round_ in range(3):
        for name in names:
            shutil.copyfile(FIXTURES / f"{name}.md", project / "content" / f"{name}.md")
        runs = [start(["validate", "--fix", f"content/{name}.md"], project) for name in names]
        for run in runs:
            _out, err = run.communicate(timeout=60)
            assert run.returncode == 0, (round_, err)
        for name in names:
            fixed = (project / "content" / f"{name}.md").read_bytes()
            assert fixed == (FIXTURES / f"{name}.fixed.md").read_bytes(), (round_, name)
        assert sorted(p.name for p in (project / "content").iterdir()) == sorted(
            f"{name}.md" for name in names
        )  # no temporary files left behind


def test_the_shipped_hooks_on_a_fresh_init_project_with_a_readme(tmp_path: Path) -> None:
    """`lushbeat init`, a README and a new article, as a newsroom starts: the shipped
    lushbeat-validate hook passes (the README is no article), and lushbeat-fix repairs a
    fixable article the way pre-commit fixers do (the first run fails: it changed a file)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    environ = env(tmp_path)
    repo = tmp_path / "newsroom"
    made = sh(
        LUSHBEAT or "lushbeat", "init", str(repo), "--lang", "id", cwd=tmp_path, environ=environ
    )
    assert made.returncode == 0, made.stderr
    (repo / "README.md").write_text("# Newsroom\n\nNo front matter here, and none needed.\n")
    (repo / "notes.md").write_text("Plain notes, not an article.\n")
    new = sh(
        LUSHBEAT or "lushbeat",
        "new",
        "Rupiah Menguat",
        "--date",
        "2024-07-29",
        "--tag",
        "rupiah",
        cwd=repo,
        environ=environ,
    )
    assert new.returncode == 0, new.stderr
    article = repo / new.stdout.strip()
    sh("git", "init", "-q", "-b", "main", cwd=repo, environ=environ)
    sh("git", "add", "-A", cwd=repo, environ=environ)
    result = pre_commit(
        "try-repo", str(REPO), "lushbeat-validate", "--all-files", cwd=repo, environ=environ
    )
    output = result.stdout + result.stderr
    if "An error has occurred" in output and "Installing environment" in output:
        pytest.skip(f"pre-commit could not install the hook's environment: {output[-400:]}")
    assert result.returncode == 0, output
    assert "Passed" in result.stdout

    text = article.read_text()
    article.write_text(text.replace("tags: [rupiah]", "tags: [rupiah, rupiah]"))
    sh("git", "add", "-A", cwd=repo, environ=environ)
    fixed = pre_commit(
        "try-repo", str(REPO), "lushbeat-fix", "--all-files", cwd=repo, environ=environ
    )
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # files were modified
    assert "files were modified by this hook" in fixed.stdout
    assert article.read_text() == text
    sh("git", "add", "-A", cwd=repo, environ=environ)
    again = pre_commit(
        "try-repo", str(REPO), "lushbeat-fix", "--all-files", cwd=repo, environ=environ
    )
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_hook_definitions_keep_to_markdown_in_the_collection() -> None:
    import yaml

    from lushbeat_cli import __version__
    from lushbeat_cli.core.workflow.scaffold import precommit_snippet

    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    assert set(hooks) == {"lushbeat-validate", "lushbeat-fix"}
    for hook in hooks.values():
        assert hook["types"] == ["markdown"]
        assert hook["files"] == "^content/"
        assert hook["entry"].startswith("lushbeat validate")
    assert hooks["lushbeat-fix"]["entry"] == "lushbeat validate --fix"
    # The documented rev is the version's tag.
    assert f"rev: v{__version__}" in precommit_snippet(__version__)
    for page in ("docs/commands/validate.md", "docs/commands/init.md"):
        assert f"rev: v{__version__}" in (REPO / page).read_text()
