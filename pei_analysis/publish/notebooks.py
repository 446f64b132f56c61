"""Ejecuta los cuadernos de una edición con papermill, cada uno en su propio proceso.

Why a module of its own: running a notebook is where a build meets the outside world (a kernel
that does not start, a cell that fails, stderr a reader must not see), so the retries, the Spanish
account of a failure and the clean-up of outputs for the book live here, apart from the assembly of
the book (:mod:`pei_analysis.publish.book`). A failed notebook is kept under ``build/fallidos/``
for the analyst.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from pei_analysis.errors import BuildError
from pei_analysis.paths import REPO_DIR
from pei_analysis.publish import processes
from pei_analysis.publish.sections import expand_sections

NOTEBOOKS_DIR = REPO_DIR / "notebooks"
FAILED_DIR = REPO_DIR / "build" / "fallidos"
KERNEL = "python3"
CELL_TIMEOUT = 600  # seconds; a cell that runs longer is a bug, not a slow computer
#: Times a notebook is launched when its kernel dies before running any cell. Kernels started in
#: parallel can race for the same ZMQ port (papermill issue #511): a rare, harmless loss that a new
#: launch, with fresh ports, wins.
KERNEL_START_ATTEMPTS = 3
#: What papermill's stderr says when the kernel never came up (as opposed to a failing cell).
_KERNEL_START_FAILURES = (
    "Kernel died before replying to kernel_info",
    "Kernel didn't respond",
    "Address already in use",
)


@dataclass
class NotebookRun:
    """How one notebook's execution went."""

    name: str
    seconds: float
    stderr: list[str] = field(default_factory=list)
    #: Launches it took; more than one means its kernel died at startup and was started again.
    launches: int = 1


def declared_parameters(notebook: nbformat.NotebookNode) -> list[str]:
    """Names assigned in the notebook's cell tagged ``parameters`` (there must be exactly one)."""
    cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise BuildError(f"se esperaba exactamente una celda con la etiqueta «parameters»; hay {len(cells)}")
    names = []
    try:
        body = ast.parse(cells[0].source).body
    except SyntaxError as exc:
        raise BuildError(
            f"la celda de parámetros no es Python válido (línea {exc.lineno}): {exc.msg}"
        ) from None
    for node in body:
        if isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names


def environment() -> dict[str, str]:
    """The environment of papermill and Jupyter Book: the venv's kernel, no colour codes, a writable
    matplotlib cache."""
    env = dict(os.environ)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"  # the venv's python3 kernel, not a user-wide one
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["NO_COLOR"] = "1"  # Sphinx's messages without terminal colour codes
    env.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "pei-analysis-matplotlib"))
    return env


def run_notebook(source: Path, target: Path, parameters: Mapping, cwd: Path) -> NotebookRun:
    """Execute *source* with papermill into *target*; raise BuildError naming the failing cell."""
    notebook = nbformat.read(source, as_version=4)
    try:
        declared = declared_parameters(notebook)
    except BuildError as exc:
        raise BuildError(f"{source.name}: {exc}") from None
    passed = {k: v for k, v in parameters.items() if k in declared}
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as handle:
        yaml.safe_dump(passed, handle, allow_unicode=True)
        params_file = handle.name
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            proc = processes.run(
                [
                    sys.executable,
                    "-m",
                    "papermill",
                    str(source),
                    str(target),
                    "-f",
                    params_file,
                    "-k",
                    KERNEL,
                    "--cwd",
                    str(cwd),
                    "--no-progress-bar",
                    "--no-log-output",
                    "--log-level",
                    "ERROR",
                    "--execution-timeout",
                    str(CELL_TIMEOUT),
                ],
                env=environment(),
            )
            if (
                proc.returncode == 0
                or attempt == KERNEL_START_ATTEMPTS
                or not kernel_failed_to_start(proc.stderr)
            ):
                break
    finally:
        os.unlink(params_file)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise BuildError(_failure_message(source, target, proc.stderr))
    executed = nbformat.read(target, as_version=4)
    expand_sections(executed)
    stderr = prepare_for_book(executed)
    nbformat.write(executed, target)
    return NotebookRun(source.stem, seconds, stderr, launches=attempt)


def kernel_failed_to_start(stderr: str) -> bool:
    """Whether papermill failed because its kernel never came up, which a new launch may fix."""
    return any(sign in stderr for sign in _KERNEL_START_FAILURES)


def _failure_message(source: Path, target: Path, stderr: str) -> str:
    """Spanish account of a papermill failure: notebook, cell number, first line of code, error."""
    where = f"el cuaderno {source.name} falló"
    if target.exists():
        try:
            executed = nbformat.read(target, as_version=4)
        except Exception:  # noqa: BLE001 - a broken output is reported below with papermill's own text
            executed = None
        if executed is not None:
            FAILED_DIR.mkdir(parents=True, exist_ok=True)
            kept = FAILED_DIR / source.name
            shutil.copyfile(target, kept)
            code_cells = [
                c
                for c in executed.cells
                if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
            ]
            for number, cell in enumerate(code_cells, start=1):
                errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                if errors:
                    first_line = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
                    error = errors[0]
                    return (
                        f"{where} en la celda de código n.º {number} (In [{cell.get('execution_count')}]: "
                        f"«{first_line.strip()}»): {error.get('ename')}: {error.get('evalue')}. "
                        f"El cuaderno con el error quedó en {kept}."
                    )
    lines = stderr.strip().splitlines()
    tail = "\n".join(lines[-15:])
    if kernel_failed_to_start(stderr):
        # the kernel's own traceback comes before papermill's: its exception says why it died
        cause = [
            ln.strip()
            for ln in lines
            if re.match(r"^[\w.]*(Error|Exception)\b", ln.strip())
            and "kernel_info" not in ln
            and "didn't respond" not in ln  # papermill's own line, not the cause
        ]
        because = f" ({cause[0]})" if cause else ""
        return (
            f"{where} antes de ejecutar sus celdas: el núcleo de Python no arrancó en "
            f"{KERNEL_START_ATTEMPTS} intentos{because}.\n{tail}"
        )
    return f"{where} antes de ejecutar sus celdas:\n{tail}"


def prepare_for_book(notebook: nbformat.NotebookNode) -> list[str]:
    """Hide code from readers and drop stderr; return the stderr texts removed (for the console).

    Cells with output keep only their output (``remove-input``); cells without output, and the
    parameters cells (the notebook's and the one papermill injects), are removed entirely.
    """
    removed: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                removed.append(output.get("text", "").strip())
                continue
            if output.get("output_type") == "error":
                raise BuildError(f"la celda «{cell.source.splitlines()[0]}» terminó con un error")
            if shows_nothing(output):
                continue
            if shows_object_repr(output):
                raise BuildError(
                    f"la celda «{cell.source.splitlines()[0]}» muestra un objeto de Python en lugar de su "
                    f"contenido ({_plain_text(output)[:80]}): devuelva Markdown o HTML con texto, o None"
                )
            kept.append(output)
        cell["outputs"] = kept
        tags = list(cell.metadata.get("tags", []))
        hidden = {"parameters", "injected-parameters"} & set(tags) or not kept
        tag = "remove-cell" if hidden else "remove-input"
        if tag not in tags:
            tags.append(tag)
        cell.metadata["tags"] = tags
    return [r for r in removed if r]


#: What Python prints for an object that has no text of its own (``<IPython.core.display.Markdown object>``,
#: ``<… object at 0x7f…>``): never something a reader should see.
_OBJECT_REPR = re.compile(r"^<[\w.]+(?: object)?(?: at 0x[0-9a-fA-F]+)?>$")


def _plain_text(output: Mapping) -> str:
    text = output.get("data", {}).get("text/plain", "")
    return ("".join(text) if isinstance(text, list) else str(text)).strip()


def shows_nothing(output: Mapping) -> bool:
    """Whether a displayed value's rich forms (Markdown, HTML) are all empty, e.g. ``Markdown("")``.

    The book then falls back to its text/plain form, the object's repr; an empty display is dropped.
    """
    if output.get("output_type") not in ("execute_result", "display_data"):
        return False
    rich = {k: v for k, v in output.get("data", {}).items() if k != "text/plain"}
    return bool(rich) and all(
        not ("".join(v) if isinstance(v, list) else str(v)).strip() for v in rich.values()
    )


def shows_object_repr(output: Mapping) -> bool:
    """Whether a displayed value would reach the page only as an object's repr (no rich form, no text)."""
    if output.get("output_type") not in ("execute_result", "display_data"):
        return False
    data = output.get("data", {})
    return set(data) <= {"text/plain"} and bool(_OBJECT_REPR.match(_plain_text(output)))


class Progress:
    """What the console says while the notebooks run: each one as it starts and as it ends, with its time.

    Without it ``make book`` printed one line and was silent for the better part of a minute. The
    notebooks run in parallel, so a notebook's end is printed when it ends, numbered in the order
    they finish («[3/7] proyeccion 12.4 s»); the lock keeps two threads' lines whole.
    """

    def __init__(self, total: int, log: Callable[[str], None]):
        self.total, self.log, self.done = total, log, 0
        self._lock = threading.Lock()

    def started(self, name: str) -> None:
        with self._lock:
            self.log(f"  empieza {name}…")

    def finished(self, name: str, seconds: float, failed: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.log(f"  [{self.done}/{self.total}] {name} {seconds:.1f} s" + (" (falló)" if failed else ""))


def _run_reported(
    source: Path, target: Path, parameters: Mapping, cwd: Path, progress: Progress
) -> NotebookRun:
    """:func:`run_notebook`, telling *progress* when the notebook starts and when it ends."""
    progress.started(source.stem)
    start = time.perf_counter()
    try:
        run = run_notebook(source, target, parameters, cwd)
    except BaseException:
        progress.finished(source.stem, time.perf_counter() - start, failed=True)
        raise
    progress.finished(source.stem, run.seconds)
    return run


def run_notebooks(
    notebooks: Sequence[Path],
    source_dir: Path,
    parameters: Mapping,
    jobs: int | None = None,
    log: Callable[[str], None] = lambda _line: None,
) -> list[NotebookRun]:
    """Execute *notebooks* into *source_dir*, in parallel; raise BuildError naming every notebook that failed.

    *log* receives a line as each notebook starts and ends (see :class:`Progress`). The runs come
    back in the order of *notebooks*, whatever order they finished in.
    """
    workers = max(1, min(jobs or (os.cpu_count() or 2), len(notebooks) or 1))
    progress = Progress(len(notebooks), log)
    runs, failures = [], []
    with processes.fresh_start(), ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            nb.stem: pool.submit(_run_reported, nb, source_dir / nb.name, parameters, source_dir, progress)
            for nb in notebooks
        }
        with processes.stopping_children():  # Ctrl-C or SIGTERM here: papermill stops before the pool waits
            try:
                for future in futures.values():
                    try:
                        runs.append(future.result())
                    except BuildError as exc:
                        failures.append(str(exc))
            except BaseException:
                for future in futures.values():
                    future.cancel()
                raise
    if failures:
        raise BuildError("\n".join(failures))
    return runs
