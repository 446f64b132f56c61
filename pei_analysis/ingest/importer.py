"""Add periods to data/: keep each file as received in data/raw/, update the tidy tables.

A call imports one file or many (a folder of past reports, in any order): each file is read and
checked on its own (its arithmetic, in the readers; its period, read from the file unless given),
the files are put in period order, and each is checked against what data/ holds and against the
earlier files of the same batch in :func:`prepare_file`: each product recognised in the catalogue
by its description (``catalogue_match.py``), period vs cumulative figures and values wildly out of
line with the product's history, compared by catalogue key, so a renumbered product keeps its series. The years are then checked whole: a gap in the
latest year is refused, one in a past year reported. Only then are the originals and the tables
written, as one transaction of the journal (``journal.py``): a crash or a full disk never leaves
half a batch, and ``pei-analysis deshacer`` undoes exactly the last one, whole. Import and undo
hold the data folder's lock, so two of them never interleave.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import check_annual_year, check_import_period
from pei_analysis.errors import DataError
from pei_analysis.files import exclusive_lock, sha256_bytes, sha256_file
from pei_analysis.ingest import journal
from pei_analysis.ingest.catalogue_match import assign_keys
from pei_analysis.ingest.limits import (
    check_no_gap,
    check_outlier_factor,
    incomplete_note,
    missing_cuatrimestres,
)
from pei_analysis.ingest.periods import ReportPeriod, decide
from pei_analysis.ingest.readers import parse_any, statements_any
from pei_analysis.ingest.template import TEMPLATE_SUFFIXES
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.tables.catalogue import Catalogue, catalogue_texts, load_catalogue
from pei_analysis.tables.poa import (
    POA_ANNUAL_CSV,
    POA_CSV,
    PRODUCT_KEY,
    annual_table_csv,
    load_poa,
    load_poa_annual,
    merge_annual,
    merge_period,
    poa_annual_schema,
    poa_schema,
    table_csv,
)

CIFRAS = ("periodo", "acumulado")
#: Told "periodo", a median ratio to the previous cuatrimestre at or above this looks cumulative.
CUMULATIVE_RATIO = 1.6
#: Told "acumulado", a median ratio to the sum of earlier cuatrimestres below this looks like a period figure.
PERIOD_RATIO = 1.2
#: Default guard: a product whose figure is this many times above (or below) its usual level is refused.
OUTLIER_FACTOR = 5.0
#: The guard ignores products whose usual level is below this (small counts swing a lot).
OUTLIER_MIN_LEVEL = 50
#: The name raw_name gives an original of the POA, with its period (an original of the PEI has another).
RAW_NAME = re.compile(r"^poa_(\d{4})_c([1-3])_")
#: The name raw_name gives an original with a year's total.
RAW_ANNUAL_NAME = re.compile(r"^poa_(\d{4})_anual_")
#: The files a folder given to ``importar`` stands for.
REPORT_SUFFIXES = {".txt", *TEMPLATE_SUFFIXES}


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


def raw_name(anio: int, cuatrimestre: int | None, source: Path) -> str:
    """Descriptive name in data/raw/ for an original of that period (``cuatrimestre`` None: the year's total)."""
    suffix = source.suffix.lower() or ".txt"
    kind = "plantilla" if suffix in (".csv", ".xlsx") else "sicoin_ejecucion_fisica"
    span = "anual" if cuatrimestre is None else f"c{cuatrimestre}"
    return f"poa_{anio}_{span}_{kind}{suffix}"



def _at(source: Path, number) -> dict:
    """Where a figure sits: a line of a text extract, a row (fila) of a spreadsheet template."""
    is_template = source.suffix.lower() in TEMPLATE_SUFFIXES
    return {"row": int(number)} if is_template else {"line": int(number)}



def to_period_figures(new: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> pd.DataFrame:
    """Return *new* with ``ejecutado`` as the cuatrimestre's own production.

    Cumulative figures (January to the end of the cuatrimestre) become period figures by
    subtracting the earlier cuatrimestres of the same year, which must all be in data/.
    """
    new = new.copy()
    new["cifras_origen"] = cifras
    if cifras == "periodo":
        return new
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    have = sorted(set(earlier["cuatrimestre"]))
    if have != list(range(1, cuatrimestre)):
        raise DataError(
            f"para convertir cifras acumuladas del cuatrimestre {cuatrimestre} hacen falta los cuatrimestres "
            f"anteriores de {anio} en los datos, y solo están: {have or 'ninguno'}.",
            path=source, field="--cifras",
        )
    before = earlier.groupby(PRODUCT_KEY)["ejecutado"].sum()
    prior = new[PRODUCT_KEY].map(before).fillna(0).astype("int64")
    period = new["ejecutado"] - prior
    negative = period < 0
    if negative.any():
        row = new[negative].iloc[0]
        raise DataError(
            f"producto {row['producto']}: el acumulado {row['ejecutado']:,} es menor que lo ya reportado en "
            f"los cuatrimestres anteriores ({prior[negative].iloc[0]:,}); ¿son cifras del período?",
            path=source, **_at(source, row["linea_origen"]), field="ejecutado",
        )
    new["ejecutado"] = period
    return new


def check_period_or_cumulative(raw: pd.DataFrame, existing: pd.DataFrame, cifras: str, source: Path) -> None:
    """Catch cumulative figures imported as period figures, and the reverse, where the data shows it."""
    anio, cuatrimestre = int(raw["anio"].iloc[0]), int(raw["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    if cifras == "periodo":
        last = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()]
        previous = last.set_index(PRODUCT_KEY)["ejecutado"]
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio >= CUMULATIVE_RATIO:
            raise DataError(
                f"las cifras parecen acumuladas desde enero: la mediana de ejecutado es {ratio:.1f} veces la del "
                "cuatrimestre anterior. Si lo son, importe con --cifras acumulado.",
                path=source, field="ejecutado",
            )
    else:
        previous = earlier.groupby(PRODUCT_KEY)["ejecutado"].sum()
        ratio = _median_ratio(raw, previous)
        if ratio is not None and ratio < PERIOD_RATIO:
            raise DataError(
                f"las cifras no parecen acumuladas: la mediana de ejecutado es solo {ratio:.2f} veces lo reportado "
                "en los cuatrimestres anteriores. Si son del período, importe con --cifras periodo.",
                path=source, field="ejecutado",
            )


def _median_ratio(new: pd.DataFrame, previous: pd.Series) -> float | None:
    prev = new[PRODUCT_KEY].map(previous)
    usable = (prev >= OUTLIER_MIN_LEVEL) & (new["ejecutado"] > 0)
    if usable.sum() < 3:
        return None
    return float((new.loc[usable, "ejecutado"] / prev[usable]).median())


def check_same_year_products(new: pd.DataFrame, existing: pd.DataFrame, source: Path) -> None:
    """Refuse a report that lacks a product an earlier cuatrimestre of the same year had.

    Between years a product may disappear (the catalogue keeps it); within a year the report lists the
    same products every cuatrimestre, so a missing one is a cut file or a template row deleted.
    """
    anio, cuatrimestre = int(new["anio"].iloc[0]), int(new["cuatrimestre"].iloc[0])
    earlier = existing[(existing["anio"] == anio) & (existing["cuatrimestre"] < cuatrimestre)]
    if earlier.empty:
        return
    last = earlier[earlier["cuatrimestre"] == earlier["cuatrimestre"].max()]
    missing = last[~last[PRODUCT_KEY].isin(new[PRODUCT_KEY])].sort_values("producto")
    if not missing.empty:
        raise DataError(
            f"faltan productos que estaban en {anio}, cuatrimestre {int(last['cuatrimestre'].iloc[0])}: "
            f"{', '.join(str(int(p)) for p in missing['producto'])}. Un producto sin producción va con 0.",
            path=source, field="producto",
        )


def check_outliers(new: pd.DataFrame, existing: pd.DataFrame, factor: float, source: Path) -> None:
    """Refuse an ejecutado *factor* times above or below the product's median earlier cuatrimestre."""
    if not factor or existing.empty:
        return
    usual = existing.groupby(PRODUCT_KEY)["ejecutado"].median()
    level = new[PRODUCT_KEY].map(usual)
    known = level >= OUTLIER_MIN_LEVEL
    high = known & (new["ejecutado"] > factor * level)
    low = known & (new["ejecutado"] * factor < level)
    wild = high | low
    if wild.any():
        row = new[wild].iloc[0]
        typical = level[wild].iloc[0]
        raise DataError(
            f"producto {row['producto']}: ejecutado {row['ejecutado']:,} está fuera de línea con su historia "
            f"(mediana por cuatrimestre {typical:,.0f}; se admite hasta {factor:g} veces más o menos). "
            "Revise la cifra, o ajuste la guardia con --factor-atipicos.",
            path=source, **_at(source, row["linea_origen"]), field="ejecutado",
        )


@dataclass(frozen=True)
class ImportOptions:
    """What the analyst asked of a whole batch: the same for every file."""

    cifras: str | None = None
    replace: bool = False
    accept_new_products: bool = False
    outlier_factor: float = OUTLIER_FACTOR


@dataclass(frozen=True)
class ReadFile:
    """A file read and checked on its own, before the lock: its bytes, its period and its rows as read."""

    source: Path
    data: bytes
    period: ReportPeriod
    cifras: str
    rows: pd.DataFrame
    #: What was read, one line for the analyst: «poa_2021_c2.txt: 2021, cuatrimestre 2 (leído del título)».
    lectura: str


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

    A batch of one file (:func:`import_files`), kept for the callers that import a single period.
    """
    batch = import_files(
        [source], anio=anio, cuatrimestre=cuatrimestre, cifras=cifras, replace=replace,
        accept_new_products=accept_new_products, outlier_factor=outlier_factor,
        data_dir=data_dir, today=today,
    )
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

    Each file is read and checked on its own first, and its period read from the file unless
    ``anio`` and ``cuatrimestre`` are given (only with one file); ``on_read`` gets the line saying
    what was read, per file, in period order. Then, holding the data folder's lock, the files are
    checked in period order against data/ and against the earlier files of the batch (so cumulative
    figures of a cuatrimestre subtract the earlier ones of the same batch), the years are checked
    whole, and everything is written as one journalled transaction that ``deshacer`` undoes whole.
    """
    root = _data_dir(data_dir)
    options = ImportOptions(cifras, replace, accept_new_products, outlier_factor)
    files = _check_batch_options(sources, anio, cuatrimestre, anual, options)
    reads = []
    for path in files:
        with _naming(path):
            reads.append(_read_source(path, anio, cuatrimestre, anual, options, today))
    reads.sort(key=lambda read: read.period.sort_key)
    _check_no_repeated_period(reads)
    for read in reads:
        if on_read is not None:
            on_read(read.lectura)
    poa_schema(root)  # a wrong data folder is refused before the lock would create anything in it
    poa_annual_schema(root)
    with exclusive_lock(root, f"importar {', '.join(path.name for path in files)}"[:200]):
        notes = journal.recover(root)
        catalogue = load_catalogue(root)
        state = BatchState(root, load_poa(root), load_poa_annual(root), catalogue)
        prepared = [prepare_file(read, state, options) for read in reads]
        incomplete = check_years(reads, state)
        tables = _tables_to_write(prepared, state)
        _apply(root, prepared, tables)
    results = tuple(_result(p, root, notes) for p in prepared)
    return BatchResult(results, tuple(r.lectura for r in reads), tuple(incomplete), tuple(notes),
                       tuple(root / path for path, _ in tables), tuple(p.catalogo for p in prepared if p.catalogo))


def expand_sources(sources: Sequence[str | Path]) -> list[Path]:
    """The files named, a folder standing for its reports (.txt, .csv, .xlsx), in name order."""
    files = []
    for source in map(Path, sources):
        if source.is_dir():
            files.extend(sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES))
        else:
            files.append(source)
    return files


def _check_batch_options(sources, anio, cuatrimestre, anual: bool, options: ImportOptions) -> list[Path]:
    check_outlier_factor(options.outlier_factor)
    if options.cifras is not None and options.cifras not in CIFRAS:
        raise DataError(f"--cifras debe ser «periodo» o «acumulado» y se indicó «{options.cifras}».",
                        field="--cifras")
    files = expand_sources(sources)
    if anual and cuatrimestre is not None:
        raise DataError("--anual (el total del año) y --cuatrimestre no van juntos: indique uno de los dos.",
                        field="--anual")
    if not files:
        raise DataError("no hay ningún reporte que importar (.txt, .csv o .xlsx) en lo indicado.", field="ARCHIVO")
    if len(files) > 1 and (anio is not None or cuatrimestre is not None):
        raise DataError(
            f"--anio y --cuatrimestre valen para un solo archivo y se indicaron {len(files)}: se aplicarían a "
            "todos. Quítelos: el período de cada archivo se lee de su título y de su pie.",
            field="--anio" if anio is not None else "--cuatrimestre",
        )
    repeated = sorted({p.name for p in files if files.count(p) > 1})
    if repeated:
        raise DataError(f"el archivo {repeated[0]} se indicó más de una vez.", field="ARCHIVO")
    return files


def _read_source(
    source: Path, anio: int | None, cuatrimestre: int | None, anual: bool, options: ImportOptions,
    today: dt.date | None,
) -> ReadFile:
    """Read one file on its own: its period (given or read from it), its figures' kind, its rows."""
    explicit = anio is not None and (cuatrimestre is not None or anual)
    if explicit and not anual:
        check_import_period(anio, cuatrimestre, today)
    if not source.is_file():
        raise DataError("el archivo no existe.", path=source)
    statements = [] if explicit and not anual else statements_any(source)
    period = decide(source, statements, anio=anio, cuatrimestre=cuatrimestre, anual=anual, cifras=options.cifras)
    if period.anual:
        check_annual_year(period.anio, today, source)
    elif not explicit:
        check_import_period(period.anio, period.cuatrimestre, today)
    cifras = _cifras(source, period, options.cifras)
    data = source.read_bytes()  # the bytes checked are the bytes kept in data/raw/
    rows = parse_any(source, period.anio, period.cuatrimestre, annual=period.anual)
    return ReadFile(source, data, period, cifras, rows, _reading_line(source, period, cifras, options.cifras))


@contextmanager
def _naming(source: Path, *, always: bool = False) -> Iterator[None]:
    """Make a refusal while handling *source* name it: in a batch, which file was refused matters most.

    A refusal that names no file gets *source*; with ``always``, so does one naming another file (a
    table of data/ the file clashes with: the file is what the analyst must look at).
    """
    try:
        yield
    except DataError as exc:
        if exc.path is not None and (exc.path.name == source.name or not always):
            raise
        raise DataError(exc.reason, path=source, line=exc.line, row=exc.row, field=exc.field) from exc


def _cifras(source: Path, period: ReportPeriod, given: str | None) -> str:
    """How the file's figures count: as told (--cifras), else as its footer says, else asked for.

    In the first cuatrimestre both are the same figure; a year's total has no kind.
    """
    if period.anual:
        return "acumulado"
    if given is not None:
        return given
    if period.cifras is not None:
        return period.cifras
    if period.cuatrimestre == 1:
        return "periodo"
    raise DataError(
        "indique si las cifras del archivo son del período o acumuladas desde enero: "
        "--cifras periodo o --cifras acumulado.",
        path=source, field="--cifras",
    )


def _reading_line(source: Path, period: ReportPeriod, cifras: str, given: str | None) -> str:
    """«poa_2021_c2.txt: 2021, cuatrimestre 2 (leído del título)», with what the footer says of the figures."""
    line = f"{source.name}: {period.label()} ({period.origen})"
    if period.anual or period.cifras is None:
        return line
    if given is None:
        return f"{line}; cifras {'acumuladas desde enero' if cifras == 'acumulado' else 'del período'}, según el pie"
    if given != period.cifras:
        return f"{line}; el pie sugiere cifras «{period.cifras}», se usa --cifras {given} como se indicó"
    return line


def _check_no_repeated_period(reads: list[ReadFile]) -> None:
    for first, second in itertools.pairwise(reads):
        if first.period.sort_key == second.period.sort_key:
            raise DataError(
                f"este archivo y {first.source.name} son los dos de {second.period.label()}: importe solo uno.",
                path=second.source, field="periodo",
            )


def prepare_file(read: ReadFile, state: BatchState, options: ImportOptions) -> PreparedFile:
    """Check one file against data/ and the earlier files of its batch, and add it to the batch's tables.

    The one place where a file meets what is already known (the cuatrimestres before it, the
    catalogue of products, each product's history); a refusal here names the file, and since the
    batch writes nothing before every file has passed, no file of the batch is imported.
    """
    with _naming(read.source, always=True):
        keys = assign_keys(read.rows, state.catalogue, read.source, accept_new=options.accept_new_products)
        if read.period.anual:
            rows, table = _prepare_annual(read, keys.rows, state), POA_ANNUAL_CSV
            state.annual = merge_annual(state.annual, rows, replace=options.replace)
        else:
            rows, table = _prepare_cuatrimestre(read, keys.rows, state, options), POA_CSV
            state.poa = merge_period(state.poa, rows, replace=options.replace)
        state.catalogue = keys.applied(state.catalogue)
    return PreparedFile(read, rows, state.root / "raw" / rows["archivo_origen"].iloc[0], table, keys.aviso)


def _prepare_cuatrimestre(read: ReadFile, keyed: pd.DataFrame, state: BatchState, options: ImportOptions) -> pd.DataFrame:
    """The checks of a cuatrimestre's figures (*keyed*: the file's rows with their catalogue key).

    Their kind (period or cumulative), the products of the same year, each product's history.
    """
    source, anio, cuatrimestre = read.source, read.period.anio, read.period.cuatrimestre
    if anio in set(state.annual["anio"].astype(int)):
        raise DataError(
            f"{anio} está en los datos solo con su total anual (poa/poa_anual.csv): un año no puede tener a la "
            "vez el total anual y cuatrimestres. Si ahora tiene sus cuatrimestres, deshaga o retire el total "
            "anual y vuelva a importar.",
            field="periodo",
        )
    existing = state.poa
    others = existing[~((existing["anio"] == anio) & (existing["cuatrimestre"] == cuatrimestre))]
    check_period_or_cumulative(keyed, others, read.cifras, source)
    new = to_period_figures(keyed, others, read.cifras, source)
    check_same_year_products(new, others, source)
    check_outliers(new, others, options.outlier_factor, source)
    target = _raw_target(state.root / "raw", raw_name(anio, cuatrimestre, source), read.data)
    new["archivo_origen"] = target.name
    return new


def _prepare_annual(read: ReadFile, keyed: pd.DataFrame, state: BatchState) -> pd.DataFrame:
    """A past year's total: refused if the year has cuatrimestres (redundant, or both at once)."""
    anio = read.period.anio
    have = sorted(int(c) for c in set(state.poa.loc[state.poa["anio"] == anio, "cuatrimestre"]))
    if have == [1, 2, 3]:
        raise DataError(
            f"el total anual de {anio} sobra: los cuatrimestres 1, 2 y 3 de {anio} ya están en los datos, y el "
            "total del año es su suma.",
            field="--anual",
        )
    if have:
        raise DataError(
            f"{anio} ya tiene en los datos {_cuatrimestres(have)}: un año no puede tener a la vez cuatrimestres y "
            "total anual. Importe los cuatrimestres que tenga (un año pasado incompleto se admite).",
            field="--anual",
        )
    new = keyed.copy()
    target = _raw_target(state.root / "raw", raw_name(anio, None, read.source), read.data)
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
                    f"el total anual solo se admite para un año pasado, y {anio} no es anterior a {latest}, el último "
                    "año con cuatrimestres en los datos (el que proyecta la edición): impórtelo por cuatrimestres.",
                    path=read.source, field="--anual",
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
    return f"los cuatrimestres {', '.join(map(str, numbers[:-1]))} y {numbers[-1]}"


def _tables_to_write(prepared: list[PreparedFile], state: BatchState) -> list[tuple[Path, str]]:
    """The (path under data/, text) of every table the batch changes, validated against its schema."""
    claves = set(state.catalogue.productos["clave"])
    tables = []
    if any(p.table == POA_CSV for p in prepared):
        tables.append((POA_CSV, table_csv(state.poa, state.root, claves)))
    if any(p.table == POA_ANNUAL_CSV for p in prepared):
        tables.append((POA_ANNUAL_CSV, annual_table_csv(state.annual, state.root, claves)))
    tables.extend((name, text) for name, text in catalogue_texts(state.catalogue, state.root).items()
                  if not (state.root / name).exists() or (state.root / name).read_text(encoding="utf-8") != text)
    return tables


def _result(prepared: PreparedFile, root: Path, notes: list[str]) -> ImportResult:
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


def _raw_target(raw_dir: Path, name: str, data: bytes) -> Path:
    """Where an original goes in data/raw/: its descriptive name, or one of its own if that is taken."""
    target = raw_dir / name
    if target.exists() and sha256_file(target) != sha256_bytes(data):
        # data/raw/ is immutable: a different file for the same period gets a name of its own.
        target = target.with_stem(f"{target.stem}_{sha256_bytes(data)[:8]}")
    return target


def _apply(root: Path, prepared: list[PreparedFile], tables: list[tuple[Path, str]]) -> None:
    """Write the batch as one transaction (journal.py has the order); any failure rolls it back now."""
    added = [p.target for p in prepared if not p.target.exists()]
    periods = [[p.read.period.anio, p.read.period.cuatrimestre] for p in prepared]
    try:
        journal.begin(root, periods, [p.read.source.name for p in prepared], [t.name for t in added], tables)
        for p in prepared:
            if p.target in added:
                journal.copy_original(p.read.data, p.target)
        for path, text in tables:
            journal.write_table(root, text, path)
        journal.commit(root)
    except BaseException as exc:
        rolled_back = _roll_back_now(root)
        if isinstance(exc, OSError):
            tail = "no se importó nada." if rolled_back else "la próxima orden deshará lo que se alcanzó a escribir."
            raise DataError(f"{_os_reason(exc)}: {tail}", path=root) from exc
        raise


def _roll_back_now(root: Path) -> bool:
    """Roll back a failed import at once; if even that fails, the next command's recovery will."""
    try:
        journal.recover(root)
    except (OSError, DataError):
        return False
    return True


def _os_reason(exc: OSError) -> str:
    """The Spanish reason of a failed write; a full disk, the one an analyst can act on, said plainly."""
    if exc.errno == errno.ENOSPC:
        return "no queda espacio en el disco"
    return f"no se pudo escribir en la carpeta de datos ({exc.strerror or exc})"


def undo_last_import(data_dir: str | Path | None = None) -> dict:
    """Undo exactly the last journalled import: restore the table before it, remove the original it added.

    Refused, changing nothing, when the table is no longer the one that import left (edited by hand,
    or another period arrived by ``git pull``): undoing then would remove more than the import.
    """
    root = _data_dir(data_dir)
    if not (root / journal.JOURNAL_DIR).is_dir():
        raise DataError(journal.NOTHING_TO_UNDO, path=root / journal.JOURNAL_DIR)
    with exclusive_lock(root, "deshacer"):
        notes = journal.recover(root)
        try:
            entry = journal.undo(root)
        except OSError as exc:
            tail = ("la importación quedó a medio deshacer y la próxima orden terminará de deshacerla."
                    if journal.interrupted(root) else "no se deshizo nada.")
            raise DataError(f"{_os_reason(exc)}: {tail}", path=root) from exc
    return {**entry, "avisos": notes}
