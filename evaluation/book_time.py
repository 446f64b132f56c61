"""Cuánto tarda construir una edición: la de este repositorio frente a la de otra copia (p. ej. una versión
anterior).

    .venv/bin/python -m evaluation.book_time                      # este repositorio, 3 veces
    .venv/bin/python -m evaluation.book_time --contra /tmp/antes  # alternando con otra copia, 3 y 3 veces

Each run is ``pei-analysis edicion --forzar`` (the work of ``make book`` when the edition changed:
validation, the notebooks with papermill, Jupyter Book, the archive) into a throw-away site folder,
with each copy's own ``.venv``, so the copies' ``site/`` are never touched. With ``--contra`` the
two copies alternate (A, B, A, B, …) so that a machine busy at one moment weighs on both alike; the
median of each is what to compare.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from pei_analysis import cli_es
from pei_analysis.paths import REPO_DIR


def time_edition(repo: Path) -> float:
    """Seconds one forced build of the latest edition takes in *repo* (with its own .venv)."""
    python = repo / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"Error: {repo} no tiene .venv; ejecute «make install» en esa copia.")
    with tempfile.TemporaryDirectory(prefix="tiempo-edicion-") as site:
        start = time.perf_counter()
        proc = subprocess.run(
            [str(python), "-m", "pei_analysis", "edicion", "--forzar", "--sitio", site],
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"Error: la edición de {repo} falló:\n{proc.stderr[-2000:]}")
    return seconds


def measure(repos: list[Path], times: int) -> dict[Path, list[float]]:
    """Alternate the copies *times* rounds; every run's seconds, by copy."""
    seconds: dict[Path, list[float]] = {repo: [] for repo in repos}
    for round_ in range(1, times + 1):
        for repo in repos:
            seconds[repo].append(time_edition(repo))
            print(f"  vuelta {round_}: {repo}: {seconds[repo][-1]:.1f} s", flush=True)
    return seconds


def main(argv: list[str] | None = None) -> int:
    cli_es.install()
    parser = argparse.ArgumentParser(
        # The docstring's first paragraph (its summary, wrapped at 110 characters) as one line.
        prog="python -m evaluation.book_time",
        description=" ".join(__doc__.split("\n\n")[0].split()),
    )
    parser.add_argument(
        "--contra",
        type=Path,
        default=None,
        metavar="CARPETA",
        help="otra copia del repositorio (con su .venv) para medir alternando con esta",
    )
    parser.add_argument(
        "--veces", type=int, default=3, metavar="N", help="construcciones de cada copia (por omisión 3)"
    )
    args = parser.parse_args(argv)
    repos = [REPO_DIR] + ([args.contra.resolve()] if args.contra else [])
    seconds = measure(repos, args.veces)
    print("\n| copia | construcciones | mediana (s) | mínimo (s) | máximo (s) |\n|---|---|---|---|---|")
    for repo, values in seconds.items():
        print(
            f"| {repo} | {len(values)} | {statistics.median(values):.1f} | "
            f"{min(values):.1f} | {max(values):.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
