"""El conjunto de datos de una edición: todas las cifras que muestran sus capítulos, calculadas una vez.

Why: each chapter notebook used to load the POA, run the projection engine and, for some, the
validation and the PEI loaders again, so one ``make book`` loaded the POA a dozen times and ran
the projection once per chapter. Now :func:`compute_dataset` is the one place that calls the
loaders, the validation and the engine; ``make book`` calls it once, before papermill, and writes
the result with :func:`save_dataset` into the build's temporary folder; every notebook receives
that file's path as its ``edicion`` parameter and only reads it with :func:`edition_dataset`.
An analyst who opens a notebook in Jupyter leaves ``edicion = None`` and the same function
computes the dataset in the kernel, so a notebook never needs ``make book`` to run.

The file is a pickle of :class:`EditionDataset`. It is our own temporary file, written and read
by the same code in the same environment a few seconds apart and never published, so pickle's
usual drawbacks (no stability across versions, unsafe on untrusted input) do not apply, while it
keeps every DataFrame exactly as computed (dtypes, NaN, float bits): the pages show the numbers
the notebooks would have computed themselves, byte for byte. A reader-facing format (CSV, JSON)
would need a schema for a dozen tables and could round numbers.

Numbers only: how a chapter writes them is :mod:`pei_analysis.chapters`.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import period_end
from pei_analysis.errors import DataError
from pei_analysis.model import attainment, revisions
from pei_analysis.model import edition as report
from pei_analysis.model.board import Board, edition_board
from pei_analysis.model.corrections import Correction, PublishedVersion, first_correction
from pei_analysis.model.history import History, edition_history
from pei_analysis.model.indicators import indicator_progress
from pei_analysis.tables.catalogue import load_catalogue
from pei_analysis.tables.poa import load_poa_annual

#: File name of the dataset in the build's temporary folder.
DATASET_FILE = "edicion.pkl"


@dataclass
class EditionDataset(report.Edition):
    """Everything the chapters of one edition show: an :class:`~pei_analysis.model.edition.Edition`
    (POA and product table) plus the program summaries, the PEI, the validation, the sources and
    the comparison with earlier editions, all from the same data and parameters."""

    data_dir: str | None = None
    #: One row per program (products, behind pace, median % de avance, semáforo counts).
    programs: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Products per semáforo state, in the book's order.
    statuses: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The five scored products furthest behind the even pace.
    gaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Products not scored as a percentage (tiny target, no execution, missing data).
    flagged: pd.DataFrame = field(default_factory=pd.DataFrame)
    pei: object = None
    linkage: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: One line per validation check passed (``validate_all``), in order.
    checks: list[str] = field(default_factory=list)
    #: Reported percentages recomputed, per period.
    percentages: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Every file in data/raw/ with size, lines and SHA-256.
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The POA schema's column entries (nombre, descripcion, …), for the column dictionary.
    poa_columns: list[dict] = field(default_factory=list)
    #: Progress of each PEI indicator up to the edition's cut-off (``model.indicators.indicator_progress``).
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Changes since the previous edition of the year; None for a year's first edition.
    changes: pd.DataFrame | None = None
    #: Earlier editions' projections against the real year; None until the year is complete.
    record: pd.DataFrame | None = None
    #: The products against their past years (empty tables when the data hold no earlier year).
    history: History = field(default_factory=History)
    #: The decision board: shortfalls, needed pace, what each projection rests on (``model.board``).
    board: Board = field(default_factory=Board)
    #: What changed since a version of this edition readers may have seen (None: nothing, or none was).
    correction: Correction | None = None


def compute_dataset(
    anio: int = 2024,
    cuatrimestre: int = 1,
    data_dir: str | Path | None = None,
    thresholds: Mapping | attainment.Thresholds | None = None,
    level: float = 0.8,
    published: Sequence[PublishedVersion] = (),
) -> EditionDataset:
    """Compute the edition's dataset: the one call to the loaders, the validation and the projection engine.

    *published* are the versions of this edition readers may have seen (the one published now, then
    the newest kept): the dataset says what changed since the first whose figures differ
    (:mod:`pei_analysis.model.corrections`).

    Raises :class:`~pei_analysis.errors.DataError` for bad parameters, data that fail validation,
    or an edition with no data for its period.
    """
    from pei_analysis.ingest.validation import validate_all
    from pei_analysis.tables.poa import poa_schema

    anio, cuatrimestre, limits, level = report.check_parameters(anio, cuatrimestre, thresholds, level)
    validation = validate_all(data_dir)  # loads the POA, the PEI and the links once, and checks them
    poa = validation.poa
    annual = annual_totals(data_dir)
    edition = report.edition_from_poa(poa, anio, cuatrimestre, limits, level, annual)
    catalogue = load_catalogue(data_dir).productos
    edition = dataclasses.replace(edition, table=with_catalogue(edition.table, catalogue))
    table = edition.table
    known = {(anio, cuatrimestre): table}  # projection tables by period, shared by the comparisons
    past = edition_history(poa, table, anio, cuatrimestre, level, annual)
    return EditionDataset(
        **{name: getattr(edition, name) for name in report.Edition.__dataclass_fields__},
        data_dir=None if data_dir is None else str(data_dir),
        programs=report.program_summary(table),
        statuses=report.status_counts(table),
        gaps=report.largest_gaps(table, 5),
        flagged=report.flagged_products(table),
        pei=validation.pei,
        linkage=validation.linkage,
        indicators=indicator_progress(
            validation.pei, validation.observations, as_of=period_end(anio, cuatrimestre)
        ),
        checks=list(validation.checks),
        percentages=report.percentage_check(poa),
        sources=report.sources_table(poa, data_dir),
        poa_columns=list(poa_schema(data_dir).columns),
        changes=_named(
            revisions.changes_since_previous(
                poa, anio, cuatrimestre, limits, level, known=known, annual=annual
            ),
            catalogue,
        ),
        record=revisions.track_record(poa, anio, limits, level, known=known, annual=annual),
        history=past,
        board=edition_board(table, catalogue, anio, cuatrimestre, past.totals),
        correction=first_correction(published, report.period_rows(poa, anio, cuatrimestre), table),
    )


#: Catalogue columns every product row of an edition carries (besides what the POA report gives).
CATALOGUE_COLUMNS = ("nombre_corto", "unidad_medida")


def with_catalogue(table: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """*table* with each product's ``nombre_corto`` and ``unidad_medida`` from the catalogue
    (``productos.csv``), by ``PRODUCT_KEY``.

    The chapters label products by the analyst's short name, not by a truncated description that
    can read the same for two products; a product the catalogue gives no name keeps an empty one
    (the chapters then shorten its description). The unit goes under the name in the program tables:
    the report's own «unidad» says only «producción» or «pagos». Rows and their order are those of
    *table*.
    """
    return report.join_catalogue(table, catalogue, CATALOGUE_COLUMNS)


def _named(table: pd.DataFrame | None, catalogue: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`with_catalogue` of a table the edition may not have (None stays None)."""
    return None if table is None else with_catalogue(table, catalogue)


#: The annual totals of past years that have no cuatrimestral report (one row per product and year),
#: beside their schema in data/. Optional: without the file there are none.
def annual_totals(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The totals of past years known only as a whole (``poa/poa_anual.csv``), validated; empty without
    them."""
    return load_poa_annual(data_dir)


def save_dataset(dataset: EditionDataset, path: str | Path) -> Path:
    """Write *dataset* to *path* (a pickle, see the module docstring) and return the path."""
    path = Path(path)
    with path.open("wb") as handle:
        pickle.dump(dataset, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def edition_dataset(
    path: str | Path | None = None,
    anio: int = 2024,
    cuatrimestre: int = 1,
    data_dir: str | Path | None = None,
    thresholds: Mapping | attainment.Thresholds | None = None,
    level: float = 0.8,
) -> EditionDataset:
    """What a notebook calls: the dataset ``make book`` wrote at *path*, or, when *path* is None, computed
    here.

    A dataset read from a file must be the edition the notebook's other parameters name; a
    mismatch means the build passed parameters inconsistently and is refused.
    """
    if path is None:
        return compute_dataset(anio, cuatrimestre, data_dir, thresholds, level)
    with Path(path).open("rb") as handle:
        dataset = pickle.load(handle)  # our own temporary file, see the module docstring
    if not isinstance(dataset, EditionDataset):
        raise DataError(f"{path} no contiene el conjunto de datos de una edición", field="edicion")
    if (dataset.anio, dataset.cuatrimestre) != (anio, cuatrimestre):
        raise DataError(
            f"el conjunto de datos {path} es de {dataset.anio}-c{dataset.cuatrimestre} y el cuaderno pide "
            f"{anio}-c{cuatrimestre}",
            field="edicion",
        )
    return dataset
