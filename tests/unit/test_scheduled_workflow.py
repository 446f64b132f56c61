"""The scheduled workflow (.github/workflows/edicion.yml) and the branch keeping the editions (.ci/ediciones).

The workflow cannot run here, so its YAML is read and held to what the issue asks: a Debian container
(a real /usr/bin/chromium), a pip cache, the inbox run through ``make publicar``, no built HTML
committed to main, the site published as a Pages artefact. The branch script runs for real against
a throw-away git remote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pei_analysis.paths import REPO_DIR

WORKFLOW = REPO_DIR / ".github" / "workflows" / "edicion.yml"
EDITIONS_SCRIPT = REPO_DIR / ".ci" / "ediciones"
#: Container images whose apt-get installs Chromium as a Debian package, not a snap.
DEBIAN_IMAGES = ("debian:", "python:3.11-slim-bookworm", "python:3.11-bookworm", "python:3.11-slim-trixie")


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> list[str]:
    return [step.get("run", "") for step in steps(job)]


def uses(job: dict) -> list[str]:
    return [step.get("uses", "").split("@")[0] for step in steps(job)]


def main_job() -> dict:
    return workflow()["jobs"]["edicion"]


def test_the_workflow_runs_every_day_by_hand_and_when_a_report_is_pushed_to_the_inbox():
    triggers = workflow()[True]  # YAML 1.1 reads the key «on» as true
    assert triggers["schedule"] and "workflow_dispatch" in triggers
    assert triggers["push"]["paths"] == ["bandeja/entrada/**"]


def test_every_job_that_installs_chromium_or_runs_the_tests_does_so_in_a_debian_container():
    for name, job in workflow()["jobs"].items():
        text = "\n".join(runs(job))
        if "chromium" in text or ".ci/run" in text or "make publicar" in text:
            image = job.get("container")
            image = image.get("image") if isinstance(image, dict) else image
            assert image and image.startswith(DEBIAN_IMAGES), f"{name}: {image}"


def test_no_step_commits_the_built_site_to_main():
    for job in workflow()["jobs"].values():
        for text in runs(job):
            for line in text.splitlines():
                if line.strip().startswith("git add"):
                    assert "site" not in line and not {"-A", ".", "--all"} & set(line.split()), line


def test_the_inbox_runs_between_fetching_and_saving_the_archive_of_editions():
    text = "\n".join(runs(main_job()))
    order = [
        ".ci/run",
        ".ci/ediciones traer",
        "make publicar",
        ".ci/ediciones guardar",
        "git add data bandeja",
    ]
    positions = [text.index(command) for command in order]
    assert positions == sorted(positions)


def test_the_expensive_steps_run_only_when_the_inbox_has_something():
    job = main_job()
    for step in steps(job):
        if any(command in step.get("run", "") for command in (".ci/run", "make publicar", ".ci/ediciones")):
            assert step.get("if") == "steps.bandeja.outputs.publicar == 'true'", step
    assert "bandeja --revisar" in "\n".join(runs(job))


def test_an_inbox_the_run_will_refuse_still_reaches_the_run_that_writes_why():
    """``bandeja --revisar`` exits 2 for a file the run refuses for what it is: the job must run the inbox
    (which leaves RECHAZADO.txt for the summary), not stop at the check with nothing written."""
    check = next(step for step in steps(main_job()) if "bandeja --revisar" in step.get("run", ""))
    assert '0|2) echo "publicar=true"' in check["run"]


def test_pip_downloads_are_cached_where_pip_looks_for_them():
    job = main_job()
    cache = next(step for step in steps(job) if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == job["env"]["PIP_CACHE_DIR"]
    assert "pyproject.toml" in cache["with"]["key"]


def test_the_site_is_published_as_a_pages_artefact_and_deployed_by_a_later_job():
    jobs = workflow()["jobs"]
    artefact = next(s for s in steps(jobs["edicion"]) if s.get("uses", "").startswith("actions/upload-pages"))
    assert artefact["with"]["path"] == "site"
    deploy = next(job for job in jobs.values() if "actions/deploy-pages" in uses(job))
    assert deploy["needs"] == "edicion" and deploy["environment"]["name"] == "github-pages"


def test_a_refusal_is_shown_in_the_run_summary():
    summary = [step for step in steps(main_job()) if step.get("if") == "failure()" and "run" in step]
    assert any(
        "bandeja/RECHAZADO.txt" in step["run"] and "GITHUB_STEP_SUMMARY" in step["run"] for step in summary
    )


GIT_ENV = {
    "GIT_AUTHOR_NAME": "prueba",
    "GIT_AUTHOR_EMAIL": "prueba@example.org",
    "GIT_COMMITTER_NAME": "prueba",
    "GIT_COMMITTER_EMAIL": "prueba@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of an empty remote with the script and a site/ of one edition committed on main (as today)."""
    if shutil.which("git") is None:
        pytest.skip("sin git")
    env = {**os.environ, **GIT_ENV, "HOME": str(tmp_path)}
    subprocess.run(
        ["git", "init", "-q", "--bare", "-b", "main", str(tmp_path / "origen.git")], check=True, env=env
    )
    repo = tmp_path / "repo"
    subprocess.run(
        ["git", "clone", "-q", str(tmp_path / "origen.git"), str(repo)],
        check=True,
        env=env,
        capture_output=True,
    )
    (repo / ".ci").mkdir()
    shutil.copy2(EDITIONS_SCRIPT, repo / ".ci" / "ediciones")
    write(repo / "site" / "2024-c1" / "index.html", "c1")
    write(repo / "site" / "2024-c1" / ".buildinfo", "sphinx")
    write(repo / "site" / "index.html", "lista")
    for command in (["add", "."], ["commit", "-qm", "main"], ["push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", *command], cwd=repo, check=True, env=env, capture_output=True)
    return repo


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def editions(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    done = subprocess.run(
        [str(repo / ".ci" / "ediciones"), *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def branch_files(repo: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "origin/ediciones"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return listed.stdout.split()


def test_the_first_save_seeds_the_editions_branch_from_site_without_its_lock_file(clone):
    assert "todavía no existe" in editions(clone, "traer")
    write(clone / "site" / ".bloqueo", "edicion · proceso 1")
    assert "guardado en la rama ediciones" in editions(clone, "guardar", "primera")
    assert branch_files(clone) == ["2024-c1/.buildinfo", "2024-c1/index.html", "index.html"]


def test_a_later_run_gets_every_older_edition_back_and_adds_only_a_commit(clone):
    editions(clone, "guardar")
    shutil.rmtree(clone / "site")  # a fresh checkout of main no longer has the built site
    assert "traído de la rama ediciones" in editions(clone, "traer")
    assert (clone / "site" / "2024-c1" / "index.html").read_text(encoding="utf-8") == "c1"
    write(clone / "site" / "2024-c2" / "index.html", "c2")
    editions(clone, "guardar")
    assert "2024-c2/index.html" in branch_files(clone) and "2024-c1/index.html" in branch_files(clone)
    log = subprocess.run(
        ["git", "log", "--format=%s", "origin/ediciones"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(log) == 2
    assert "no cambió" in editions(clone, "guardar")
