"""Add periods to data/: keep each file as received in data/raw/, update the tidy tables.

A call imports one file or many (a folder of past reports, in any order): each file is read and checked on its
own (its arithmetic, in the readers; its period, read from the file unless given), the files are put in period
order, and each is checked against what data/ holds and against the earlier files of the same batch in
:func:`prepare_file`: each product recognised in the catalogue by its description (``catalogue_match.py``),
period vs cumulative figures and values wildly out of line with the product's history, compared by catalogue
key, so a renumbered product keeps its series. The years are then checked whole: a gap in the latest year is
refused, one in a past year reported. Only then are the originals and the tables written, as one transaction
of the journal (``journal.py``): a crash or a full disk never leaves half a batch, and ``pei-analysis
deshacer`` undoes exactly the last one, whole. Import and undo hold the data folder's lock, so two of them
never interleave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.files import exclusive_lock
from pei_analysis.format import join_es
from pei_analysis.ingest import journal
from pei_analysis.ingest.batch_reading import (
    ImportOptions,
    ReadFile,
    check_batch_options,
    check_no_repeated_period,
    naming,
    read_source,
)
from pei_analysis.ingest.batch_writing import write_batch
from pei_analysis.ingest.catalogue_match import assign_keys
from pei_analysis.ingest.catalogue_proposals import Pending
from pei_analysis.ingest.history_checks import (
    OUTLIER_FACTOR,
    check_outliers,
    check_period_or_cumulative,
    check_same_year_numbers,
    check_same_year_products,
    to_period_figures,
)
from pei_analysis.ingest.limits import (
    check_no_gap,
    incomplete_note,
    missing_cuatrimestres,
)
from pei_analysis.ingest.originals import check_still_kept, files_to_import, raw_target, repeated_line
from pei_analysis.ingest.same_report import OtherForm, already_in_data, one_form_each
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.paths import is_published
from pei_analysis.tables.catalogue import Catalogue, catalogue_texts, load_catalogue
from pei_analysis.tables.poa import (
    POA_ANNUAL_CSV,
    POA_CSV,
    annual_table_csv,
    load_poa,
    load_poa_annual,
    merge_annual,
    merge_period,
    poa_annual_schema,
    poa_schema,
    table_csv,
)


@dataclass(frozen=True)
class ImportResult:
    anio: int
    #: None for a year's total (``poa_anual.csv``).
    cuatrimestre: int | None
    productos: int
    ejecutado_total: int
    raw_path: Path
    table_path: Path
    #: What the import found and recovered first (an earlier run interrupted), in Spanish.
    avisos: tuple[str, ...] = ()
    #: One Spanish line on the catalogue: products that changed number or were added (empty if none).
    catalogo: str = ""


@dataclass(frozen=True)
class PreparedFile:
    """A file checked against data/ and the earlier files of its batch, ready to be written."""

    read: ReadFile
    rows: pd.DataFrame
    target: Path
    table: Path
    #: The catalogue line of this file (products renumbered or added), empty if none.
    catalogo: str = ""


@dataclass
class BatchState:
    """The tables as they will be after the files prepared so far: each file is checked against them."""

    root: Path
    poa: pd.DataFrame
    annual: pd.DataFrame
    #: The product catalogue with the products and years the files so far added.
    catalogue: Catalogue


@dataclass(frozen=True)
class BatchResult:
    """What one ``importar`` did: a result per file (in period order) and what the analyst must know."""

    archivos: tuple[ImportResult, ...]
    #: One line per file: the period read and where from, in period order.
    lecturas: tuple[str, ...]
    #: Past years left with a cuatrimestre missing, one Spanish line each.
    incompletos: tuple[str, ...]
    #: What the import found and recovered first (an earlier run interrupted), in Spanish.
    avisos: tuple[str, ...]
    #: The tables written, under the data folder.
    tablas: tuple[Path, ...]
    #: Catalogue lines (products renumbered, recognised by description, or added), one per year at most.
    catalogo: tuple[str, ...] = ()
    #: One line per file left out because the data already hold it, byte for byte (not imported again), or
    #: because it is another form of a report imported (:mod:`.same_report`).
    repetidos: tuple[str, ...] = ()
    #: Each file left out as another form of a report, with the original in data/raw/ that holds it.
    otras_formas: tuple[tuple[Path, str], ...] = ()


def import_file(
    source: Path,
    *,
    anio: int | None = None,
    cuatrimestre: int | None = None,
    cifras: str | None = None,
    replace: bool = False,
    accept_new_products: bool = False,
    outlier_factor: float = OUTLIER_FACTOR,
    data_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import a SICOIN extract or a filled template into data/; on any failure write nothing.

    A batch of one file (:func:`import_files`), kept for the callers that import a single period; a file
    data/raw/ already keeps, which the batch leaves out, is refused here: there is no result to return.
    """
    batch = import_files(
        [source],
        anio=anio,
        cuatrimestre=cuatrimestre,
        cifras=cifras,
        replace=replace,
        accept_new_products=accept_new_products,
        outlier_factor=outlier_factor,
        data_dir=data_dir,
        today=today,
    )
    if not batch.archivos:
        raise DataError(batch.repetidos[0], path=source, field="archivo")
    return batch.archivos[0]


def import_files(
    sources: Sequence[str | Path],
    *,
    anio: int | None = None,
    cuatrimestre: int | None = None,
    anual: bool = False,
    cifras: str | None = None,
    replace: bool = False,
    accept_new_products: bool = False,
    outlier_factor: float = OUTLIER_FACTOR,
    data_dir: str | Path | None = None,
    today: dt.date | None = None,
    on_read: Callable[[str], None] | None = None,
) -> BatchResult:
    """Import several reports (a folder's worth, in any order) as one transaction: all of them or none.

    A file whose bytes data/raw/ already keeps is left out, unread, with a line in ``repetidos``
    (:func:`.originals.files_to_import`). Each other file is read and checked on its own first, and
    its period read from the file unless ``anio`` and ``cuatrimestre`` are given (only with one
    file); ``on_read`` gets the line saying what was read, per file, in period order. Then, holding
    the data folder's lock, the files are checked in period order against data/ and against the
    earlier files of the batch (so cumulative figures of a cuatrimestre subtract the earlier ones of
    the same batch), the years are checked whole, and everything is written as one journalled
    transaction that ``deshacer`` undoes whole.
    """
    root = _data_dir(data_dir)
    options = ImportOptions(
        cifras, replace, accept_new_products, outlier_factor, published=is_published(root)
    )
    files = check_batch_options(sources, anio, cuatrimestre, anual, options)
    files, kept = files_to_import(files, root, options.replace)
    reads, twins = read_batch(files, anio, cuatrimestre, anual, options, today)
    lecturas = tuple(read.lectura for read in reads)
    for line in lecturas if on_read is not None else ():
        on_read(line)
    poa_schema(root)  # a wrong data folder is refused before the lock would create anything in it
    poa_annual_schema(root)
    with exclusive_lock(root, f"importar {', '.join(path.name for path in files) or '(nada nuevo)'}"[:200]):
        notes = journal.recover(root)
        check_still_kept(kept, root)
        reads, same = already_in_data(reads, root, options.replace)
        others = [*twins, *same]
        repeated = (*(repeated_line(path, name) for path, name in kept.items()), *(f.line for f in others))
        if not reads:
            return BatchResult(
                (), (), (), tuple(notes), (), repetidos=repeated, otras_formas=_originals_of(others, [])
            )
        catalogue = load_catalogue(root)
        state = BatchState(root, load_poa(root), load_poa_annual(root), catalogue)
        prepared = [prepare_file(read, state, options) for read in reads]
        incomplete = check_years(reads, state)
        tables = tables_to_write(prepared, state)
        write_batch(
            root,
            [[p.read.period.anio, p.read.period.cuatrimestre] for p in prepared],
            [p.read.source.name for p in prepared],
            [(p.target, p.read.data) for p in prepared],
            tables,
        )
    results = tuple(file_result(p, root, notes) for p in prepared)
    return BatchResult(
        results,
        lecturas,
        tuple(incomplete),
        tuple(notes),
        tuple(root / path for path, _ in tables),
        tuple(p.catalogo for p in prepared if p.catalogo),
        repeated,
        _originals_of(others, prepared),
    )


def _originals_of(others: list[OtherForm], prepared: list[PreparedFile]) -> tuple[tuple[Path, str], ...]:
    """Each file left out as another form of a report, with the name in data/raw/ of the original holding
    it: the one kept before, or the one this batch wrote from the file imported instead."""
    written = {p.read.source: p.target.name for p in prepared}
    return tuple((f.source, f.original or written[f.same_as]) for f in others)


def read_batch(
    files: list[Path], anio, cuatrimestre, anual: bool, options: ImportOptions, today, errors=None
) -> tuple[list[ReadFile], list[OtherForm]]:
    """Each file read and checked on its own, in period order, no two of the same period; and the files
    left out as another form of a report in the batch (:func:`.same_report.one_form_each`).

    With an *errors* list (a review) a file refused is added to it and the others are still read.
    """
    reads = []
    for path in files:
        with _kept_in(errors), naming(path):
            reads.append(read_source(path, anio, cuatrimestre, anual, options, today))
    reads.sort(key=lambda read: read.period.sort_key)
    reads, twins = one_form_each(reads)
    with _kept_in(errors):
        check_no_repeated_period(reads)
    return reads, twins


@contextmanager
def _kept_in(errors: list | None) -> Iterator[None]:
    """A refusal raised in the block goes on *errors* and the caller goes on; without a list, it is raised."""
    try:
        yield
    except DataError as exc:
        if errors is None:
            raise
        errors.append(exc)


def prepare_file(
    read: ReadFile,
    state: BatchState,
    options: ImportOptions,
    pending: Pending | None = None,
    outliers: list[DataError] | None = None,
) -> PreparedFile:
    """Check one file against data/ and the earlier files of its batch, and add it to the batch's tables.

    The one place where a file meets what is already known (the cuatrimestres before it, the
    catalogue of products, each product's history); a refusal here names the file, and since the
    batch writes nothing before every file has passed, no file of the batch is imported. *pending*: see
    :func:`.catalogue_match.assign_keys` (a review lists unmatched descriptions instead of refusing them);
    *outliers*: see :func:`.history_checks.check_outliers` (a review lists every figure out of line).
    """
    with naming(read.source, always=True):
        keys = assign_keys(
            read.rows, state.catalogue, read.source, accept_new=options.accept_new_products, pending=pending
        )
        if read.period.anual:
            rows, table = _prepare_annual(read, keys.rows, state), POA_ANNUAL_CSV
            state.annual = merge_annual(state.annual, rows, replace=options.replace)
        else:
            rows, table = _prepare_cuatrimestre(read, keys.rows, state, options, outliers), POA_CSV
            state.poa = merge_period(state.poa, rows, replace=options.replace)
        state.catalogue = keys.applied(state.catalogue)
    return PreparedFile(read, rows, state.root / "raw" / rows["archivo_origen"].iloc[0], table, keys.aviso)


def _prepare_cuatrimestre(
    read: ReadFile, keyed: pd.DataFrame, state: BatchState, options: ImportOptions, outliers=None
) -> pd.DataFrame:
    """The checks of a cuatrimestre's figures (*keyed*: the file's rows with their catalogue key).

    Their kind (period or cumulative), the products of the same year, each product's history.
    """
    source, anio, cuatrimestre = read.source, read.period.anio, read.period.cuatrimestre
    if anio in set(state.annual["anio"].astype(int)):
        raise DataError(
            f"{anio} está en los datos solo con su total anual (poa/poa_anual.csv): un año no puede tener a "
            "la vez el total anual y cuatrimestres. Si ahora tiene sus cuatrimestres, deshaga o retire el "
            "total anual y vuelva a importar.",
            field="periodo",
        )
    existing = state.poa
    others = existing[~((existing["anio"] == anio) & (existing["cuatrimestre"] == cuatrimestre))]
    check_period_or_cumulative(keyed, others, read.cifras, source)
    new = to_period_figures(keyed, others, read.cifras, source)
    check_same_year_products(new, others, source)
    check_same_year_numbers(new, others, source)
    check_outliers(new, others, options.outlier_factor, source, outliers)
    target = raw_target(state.root, anio, cuatrimestre, source, read.data)
    new["archivo_origen"] = target.name
    return new


def _prepare_annual(read: ReadFile, keyed: pd.DataFrame, state: BatchState) -> pd.DataFrame:
    """A past year's total: refused if the year has cuatrimestres (redundant, or both at once)."""
    anio = read.period.anio
    have = sorted(int(c) for c in set(state.poa.loc[state.poa["anio"] == anio, "cuatrimestre"]))
    if have == [1, 2, 3]:
        raise DataError(
            f"el total anual de {anio} sobra: los cuatrimestres 1, 2 y 3 de {anio} ya están en los datos, y "
            "el total del año es su suma.",
            field="--anual",
        )
    if have:
        raise DataError(
            f"{anio} ya tiene en los datos {_cuatrimestres(have)}: un año no puede tener a la "
            "vez cuatrimestres y total anual. Importe los cuatrimestres que tenga (un año "
            "pasado incompleto se admite).",
            field="--anual",
        )
    new = keyed.copy()
    target = raw_target(state.root, anio, None, read.source, read.data)
    new["archivo_origen"] = target.name
    return new


def check_years(reads: list[ReadFile], state: BatchState) -> list[str]:
    """The years the batch touches, whole: a gap refused in the latest year, reported in a past one.

    The latest year with cuatrimestres is the one an edition projects from its cuatrimestres so
    far, so a cuatrimestre missing before the last one there is refused as before. A past year may
    lack one (a report lost): it is imported and said incomplete. A year's total is only for a
    past year, before the latest one.
    """
    years = set(state.poa["anio"].astype(int))
    latest = max(years) if years else None
    notes = []
    for read in reads:
        anio = read.period.anio
        if read.period.anual:
            if latest is not None and anio >= latest:
                raise DataError(
                    f"el total anual solo se admite para un año pasado, y {anio} no es anterior a "
                    f"{latest}, el último año con cuatrimestres en los datos (el que proyecta la edición): "
                    "impórtelo por cuatrimestres.",
                    path=read.source,
                    field="--anual",
                )
        elif anio == latest:
            check_no_gap(anio, read.period.cuatrimestre, state.poa, read.source)
    for anio in sorted({r.period.anio for r in reads if not r.period.anual and r.period.anio != latest}):
        missing = missing_cuatrimestres(state.poa, anio)
        if missing:
            notes.append(incomplete_note(anio, missing))
    return notes


def _cuatrimestres(numbers: list[int]) -> str:
    """[1] → «el cuatrimestre 1»; [1, 2] → «los cuatrimestres 1 y 2»."""
    if len(numbers) == 1:
        return f"el cuatrimestre {numbers[0]}"
    return f"los cuatrimestres {join_es(numbers)}"


def tables_to_write(prepared: list[PreparedFile], state: BatchState) -> list[tuple[Path, str]]:
    """The (path under data/, text) of every table the batch changes, validated against its schema."""
    claves = set(state.catalogue.productos["clave"])
    tables = []
    if any(p.table == POA_CSV for p in prepared):
        tables.append((POA_CSV, table_csv(state.poa, state.root, claves)))
    if any(p.table == POA_ANNUAL_CSV for p in prepared):
        tables.append((POA_ANNUAL_CSV, annual_table_csv(state.annual, state.root, claves)))
    tables.extend(
        (name, text)
        for name, text in catalogue_texts(state.catalogue, state.root).items()
        if not (state.root / name).exists() or (state.root / name).read_text(encoding="utf-8") != text
    )
    return tables


def file_result(prepared: PreparedFile, root: Path, notes: list[str]) -> ImportResult:
    period = prepared.read.period
    return ImportResult(
        anio=period.anio,
        cuatrimestre=period.cuatrimestre,
        productos=len(prepared.rows),
        ejecutado_total=int(prepared.rows["ejecutado"].sum()),
        raw_path=prepared.target,
        table_path=root / prepared.table,
        avisos=tuple(notes),
        catalogo=prepared.catalogo,
    )
