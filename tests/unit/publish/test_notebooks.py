"""Running a notebook with papermill (pei_analysis.publish.notebooks): output clean-up for the book, retries
of a kernel that did not start, the Spanish account of a failure. papermill itself is replaced here; the real
runs are in tests/notebooks and tests/e2e."""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest

from pei_analysis.errors import BuildError
from pei_analysis.publish import notebooks as runner
from tests.unit.publish.cells import code, notebook


def test_prepare_for_book_hides_code_drops_stderr_and_removes_parameter_cells():
    stderr = nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: algo\n")
    shown = nbformat.v4.new_output("display_data", data={"text/plain": "1"})
    nb = notebook(
        code("anio = 2024", ["parameters"]),
        code("anio = 2025", ["injected-parameters"]),
        code("import pandas"),
        code("tabla", outputs=[stderr, shown]),
    )
    removed = runner.prepare_for_book(nb)
    assert removed == ["FutureWarning: algo"]
    tags = [c.metadata["tags"] for c in nb.cells]
    assert tags == [
        ["parameters", "remove-cell"],
        ["injected-parameters", "remove-cell"],
        ["remove-cell"],
        ["remove-input"],
    ]
    assert nb.cells[3].outputs == [shown]


def test_prepare_for_book_refuses_a_notebook_with_an_error_output():
    error = nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])
    with pytest.raises(BuildError, match="terminó con un error"):
        runner.prepare_for_book(notebook(code("raise ValueError('x')", outputs=[error])))


def test_an_empty_markdown_display_is_dropped_instead_of_showing_its_python_repr():
    empty = nbformat.v4.new_output(
        "execute_result",
        data={"text/plain": "<IPython.core.display.Markdown object>", "text/markdown": ""},
        execution_count=1,
    )
    nb = notebook(code('Markdown("")', outputs=[empty]))
    runner.prepare_for_book(nb)
    assert nb.cells[0].outputs == [] and nb.cells[0].metadata["tags"] == ["remove-cell"]


def test_a_cell_that_would_show_only_an_objects_repr_stops_the_build_naming_the_cell():
    bare = nbformat.v4.new_output(
        "execute_result",
        data={"text/plain": "<pei_analysis.chapters.display.Foo object at 0x7f3a2c>"},
        execution_count=1,
    )
    with pytest.raises(BuildError, match="«objeto_suelto» muestra un objeto de Python"):
        runner.prepare_for_book(notebook(code("objeto_suelto", outputs=[bare])))


def test_a_plain_number_or_text_output_is_kept():
    number = nbformat.v4.new_output("execute_result", data={"text/plain": "36"}, execution_count=1)
    nb = notebook(code("len(tabla)", outputs=[number]))
    runner.prepare_for_book(nb)
    assert nb.cells[0].outputs == [number]


KERNEL_DIED = (
    "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:40123')\n"
    "Traceback (most recent call last):\n"
    '  File "nbclient/client.py", line 566, in async_start_new_kernel_client\n'
    "RuntimeError: Kernel died before replying to kernel_info\n"
)


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        (KERNEL_DIED, True),
        ("RuntimeError: Kernel didn't respond in 60 seconds\n", True),
        ("papermill.exceptions.PapermillExecutionError: ZeroDivisionError: division by zero\n", False),
        ("", False),
    ],
)
def test_a_kernel_that_never_came_up_is_told_apart_from_a_failing_cell(stderr, expected):
    assert runner.kernel_failed_to_start(stderr) is expected


def fake_papermill(monkeypatch, outcomes):
    """Replace the papermill process: each launch takes the next (returncode, stderr); success copies the
    notebook."""
    launches = []

    def run(command, **_):
        returncode, stderr = outcomes[len(launches)]
        launches.append(command)
        if returncode == 0:
            source, target = command[3], command[4]
            nbformat.write(nbformat.read(source, as_version=4), target)
        return subprocess.CompletedProcess(command, returncode, "", stderr)

    monkeypatch.setattr(runner.processes, "run", run)
    return launches


def write_notebook(path):
    nbformat.write(notebook(code("anio = 2024", ["parameters"]), code("print(anio)")), path)
    return path


def test_a_notebook_whose_kernel_died_at_startup_is_launched_again(tmp_path, monkeypatch):
    launches = fake_papermill(monkeypatch, [(1, KERNEL_DIED), (0, "")])
    source = write_notebook(tmp_path / "capitulo.ipynb")
    run = runner.run_notebook(source, tmp_path / "salida.ipynb", {"anio": 2024}, tmp_path)
    assert len(launches) == 2
    assert run.launches == 2
    assert (tmp_path / "salida.ipynb").exists()


def test_a_failing_cell_is_not_launched_again(tmp_path, monkeypatch):
    launches = fake_papermill(
        monkeypatch, [(1, "PapermillExecutionError: NameError: name 'x' is not defined\n")] * 3
    )
    source = write_notebook(tmp_path / "capitulo.ipynb")
    with pytest.raises(BuildError, match=re.escape("capitulo.ipynb falló")):
        runner.run_notebook(source, tmp_path / "salida.ipynb", {"anio": 2024}, tmp_path)
    assert len(launches) == 1


def test_a_kernel_that_never_starts_gives_up_after_the_allowed_launches_and_says_why(tmp_path, monkeypatch):
    launches = fake_papermill(monkeypatch, [(1, KERNEL_DIED + "x\n" * 20)] * runner.KERNEL_START_ATTEMPTS)
    source = write_notebook(tmp_path / "capitulo.ipynb")
    with pytest.raises(BuildError, match=r"no arrancó en 3 intentos \(zmq.error.ZMQError: Address"):
        runner.run_notebook(source, tmp_path / "salida.ipynb", {"anio": 2024}, tmp_path)
    assert len(launches) == runner.KERNEL_START_ATTEMPTS


def test_each_notebook_is_announced_as_it_starts_and_counted_with_its_time_as_it_ends(monkeypatch, tmp_path):
    import time

    delays = {"resumen": 0.3, "proyeccion": 0.0, "datos": 0.1}

    def fake_run(source, target, parameters, cwd):
        time.sleep(delays[source.stem])
        return runner.NotebookRun(source.stem, delays[source.stem] + 12.0)

    monkeypatch.setattr(runner, "run_notebook", fake_run)
    lines: list[str] = []
    notebooks = [tmp_path / f"{name}.ipynb" for name in delays]
    runs = runner.run_notebooks(notebooks, tmp_path, {}, jobs=3, log=lines.append)
    assert [r.name for r in runs] == ["resumen", "proyeccion", "datos"]  # in the book's order
    assert sorted(line for line in lines if "empieza" in line) == [
        "  empieza datos…",
        "  empieza proyeccion…",
        "  empieza resumen…",
    ]
    ends = [line for line in lines if line.startswith("  [")]
    assert ends == ["  [1/3] proyeccion 12.0 s", "  [2/3] datos 12.1 s", "  [3/3] resumen 12.3 s"]
    for name in delays:
        assert lines.index(f"  empieza {name}…") < next(
            i for i, line in enumerate(lines) if f"] {name} " in line
        )


def test_a_failed_notebook_is_still_counted_and_says_it_failed(monkeypatch, tmp_path):
    def fake_run(source, target, parameters, cwd):
        if source.stem == "pei":
            raise BuildError("el cuaderno pei.ipynb falló")
        return runner.NotebookRun(source.stem, 1.0)

    monkeypatch.setattr(runner, "run_notebook", fake_run)
    lines: list[str] = []
    with pytest.raises(BuildError, match=re.escape("pei.ipynb falló")):
        runner.run_notebooks(
            [tmp_path / "pei.ipynb", tmp_path / "datos.ipynb"], tmp_path, {}, jobs=1, log=lines.append
        )
    assert any(line.startswith("  [1/2] pei ") and line.endswith("(falló)") for line in lines)
    assert "  [2/2] datos 1.0 s" in lines
