"""The chapter notebooks: committed clean, one parameters cell, no logic of their own, and they run (nbval).

nbval runs in lax mode (outputs are not compared: the figures change with every data edition),
so what it asserts is that every cell runs without raising; the book's own test checks what
the executed pages show.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

from pei_analysis.publish import book as build
from pei_analysis.publish import notebooks as runner

NOTEBOOKS = sorted(runner.NOTEBOOKS_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def code_cells(path: Path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def parameter_defaults(source: str) -> dict:
    """Each name the parameters cell assigns, with or without a type hint, and its default value."""
    values = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            values[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign):
            values[node.target.id] = ast.literal_eval(node.value)
    return values


def test_every_notebook_is_a_chapter_of_the_book_and_every_chapter_notebook_exists():
    chapters = set(build.chapter_files())
    assert {p.stem for p in NOTEBOOKS} <= chapters
    assert {c for c in chapters if not (build.BOOK_DIR / f"{c}.md").exists()} == {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path):
    for cell in code_cells(path):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_has_one_parameters_cell_with_the_2024_first_cuatrimestre_defaults(path):
    cells = [c for c in code_cells(path) if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    values = parameter_defaults(cells[0].source)
    assert values["anio"] == 2024 and values["cuatrimestre"] == 1
    assert values["carpeta_datos"] is None and values["umbrales"] is None and 0 < values["nivel"] < 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_papermill_sees_every_parameter_of_the_notebook_with_its_type_and_its_help(path):
    """papermill reads the cell with a regular expression, not with Python (as the build does): a «=» in a
    comment or a type hint it cannot parse («str | None») hides that parameter from --help-notebook."""
    seen = papermill.inspect_notebook(str(path))
    assert list(seen) == build.declared_parameters(nbformat.read(path, as_version=4))
    assert set(build.edition_parameters(2024, 1)) | {build.DATASET_PARAMETER} <= set(seen)
    for name, parameter in seen.items():
        assert parameter["inferred_type_name"] != "None" and parameter["help"], name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_defines_no_functions_or_classes(path):
    for cell in code_cells(path):
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{path.name}: la lógica va en pei_analysis, no en el cuaderno: {cell.source[:80]}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_and_its_markdown_twin_say_the_same(path):
    twin = path.with_suffix(".md")
    assert twin.exists(), f"falta {twin.name}: ejecute jupytext --sync {path}"
    text = jupytext.read(twin)
    ipynb = nbformat.read(path, as_version=4)
    pairs = list(zip(text.cells, ipynb.cells, strict=True))
    for md_cell, nb_cell in pairs:
        assert (md_cell.cell_type, md_cell.source.strip()) == (nb_cell.cell_type, nb_cell.source.strip()), (
            f"{path.name} y {twin.name} difieren: ejecute jupytext --sync notebooks/*.md"
        )
        assert md_cell.metadata.get("tags", []) == nb_cell.metadata.get("tags", [])
        assert md_cell.metadata.get("mystnb") == nb_cell.metadata.get("mystnb")


#: What only the edition dataset (pei_analysis.model.dataset) may call: a notebook that did would
#: load the data or run the engine again in every chapter, and could disagree with the others.
COMPUTATIONS = (
    "load_poa",
    "load_pei",
    "load_linkage",
    "poa_schema",
    "validate_all",
    "load_edition",
    "projection_table",
    "project_year_end",
    "changes_since_previous",
    "track_record(",
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_reads_the_edition_dataset_and_never_loads_validates_or_projects_itself(path):
    cells = code_cells(path)
    parameters = next(c for c in cells if "parameters" in c.metadata.get("tags", []))
    assert parameter_defaults(parameters.source)["edicion"] is None
    source = "\n".join(c.source for c in cells)
    assert "edition_dataset(edicion, anio, cuatrimestre, carpeta_datos, umbrales, nivel)" in source
    for name in COMPUTATIONS:
        assert name not in source, f"{path.name} llama a {name}: use el conjunto de datos de la edición"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_thresholds_example_uses_the_spanish_names(path):
    parameters = next(c for c in code_cells(path) if "parameters" in c.metadata.get("tags", []))
    assert (
        '{"satisfactorio": 90, "en_riesgo": 70, "sobre_ejecucion": 120, "meta_pequena": 10}'
        in parameters.source
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_is_shown_by_the_library_with_its_caption_alt_text_and_the_csv_of_its_numbers(path):
    """A chart displayed bare would be a PNG with no caption, source or data link; FigureBlock carries
    them."""
    source = "\n".join(c.source for c in code_cells(path))
    assert not re.search(r"\b(plots|figures)\.|_chart\(", source), path.name
    for call in re.findall(r"secciones\.show_(?:figure|sections)\((.*)\)", source):
        assert call.rstrip().endswith(", carpeta_descargas"), (path.name, call)


def test_notebooks_run_without_errors_under_nbval(tmp_path):
    """nbval --nbval-lax over copies of the notebooks (the Datos chapter writes its downloads beside
    itself)."""
    for path in NOTEBOOKS:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            *sorted(str(p) for p in tmp_path.glob("*.ipynb")),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=runner.environment(),
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "failed" not in proc.stdout
    assert (tmp_path / "descargas" / "poa_ejecucion.csv").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_parameter_an_analyst_sets_has_a_spanish_name(path):
    parameters = next(c for c in code_cells(path) if "parameters" in c.metadata.get("tags", []))
    names = build.declared_parameters(nbformat.v4.new_notebook(cells=[parameters]))
    assert set(names) <= {
        "anio",
        "cuatrimestre",
        "carpeta_datos",
        "umbrales",
        "nivel",
        "edicion",
        "carpeta_descargas",
    }
