"""Reading the files of an ``importar`` on their own, before the data folder is touched.

Which files a call names (a folder stands for its reports), the options that hold for the whole
batch, and each file read with its period (given, or read from its title and footer), its kind of
figures and its rows, with the one line that tells the analyst what was read. Split from
``importer.py``, which checks the files against data/ and writes them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.calendar import check_annual_year, check_import_period
from pei_analysis.errors import DataError
from pei_analysis.format import join_es
from pei_analysis.ingest.history_checks import OUTLIER_FACTOR
from pei_analysis.ingest.limits import check_outlier_factor
from pei_analysis.ingest.locations import PDF_SUFFIX, TEMPLATE_SUFFIXES
from pei_analysis.ingest.periods import ReportPeriod, decide
from pei_analysis.ingest.readers import is_template, parse_any, statements_any
from pei_analysis.ingest.sicoin import check_is_report, refuse_if_simulated
from pei_analysis.ingest.sicoin_sheet import holds_report, read_sheet

CIFRAS = ("periodo", "acumulado")
#: Why a simulated report is not imported into the repository's data/.
SIMULATED_REFUSAL = (
    "el reporte dice que sus cifras son simuladas (no son cifras del IGSS) y no se importa a data/ del "
    "repositorio, de donde sale el libro que se publica. Para probar con él, importe a una copia de los "
    "datos: pei-analysis --datos CARPETA importar …"
)

#: The files a folder given to ``importar`` stands for.
REPORT_SUFFIXES = {".txt", PDF_SUFFIX, *TEMPLATE_SUFFIXES}
#: Workbooks in a format the importer does not read: in a folder of reports they are reports too, so a
#: folder holding one is refused rather than imported without it.
OTHER_WORKBOOKS = {".xls", ".xlsm", ".xlsb", ".ods"}
#: What ``importar`` reads, as a refusal says it.
IMPORTABLE = (
    "el reporte de SICOIN en PDF (.pdf), su libro de Excel (.xlsx) o su texto extraído (.txt), o la "
    "plantilla de captura (.csv o .xlsx)"
)


@dataclass(frozen=True)
class ImportOptions:
    """What the analyst asked of a whole batch: the same for every file."""

    cifras: str | None = None
    replace: bool = False
    accept_new_products: bool = False
    outlier_factor: float = OUTLIER_FACTOR
    #: The data folder is the repository's, the one the book publishes: simulated reports are refused.
    published: bool = False


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


def expand_sources(sources: Sequence[str | Path]) -> list[Path]:
    """The files named, a folder standing for its reports (.pdf, .txt, .csv, .xlsx, and the workbooks
    :func:`check_importable` refuses), in name order."""
    files = []
    for source in map(Path, sources):
        if source.is_dir():
            files.extend(p for p in _entries(source) if _is_report(p))
        else:
            files.append(source)
    return files


def left_out(sources: Sequence[str | Path]) -> list[str]:
    """What the folders named hold that an import leaves out, for the line that says so: a subfolder
    («anteriores/»), a file of another kind («notas.docx»), Excel's owner file of an open workbook."""
    out = []
    for folder in (Path(s) for s in sources if Path(s).is_dir()):
        for path in _entries(folder):
            if path.name.startswith(EXCEL_OWNER_FILE):
                out.append(f"{path.name} (archivo temporal de Excel: el libro está abierto)")
            elif path.is_dir():
                out.append(f"{path.name}/")
            elif not _is_report(path):
                out.append(path.name)
    return out


#: How Excel names the owner file it writes beside a workbook it has open («~$poa_2021_c1.xlsx»).
EXCEL_OWNER_FILE = "~$"


def _entries(folder: Path) -> list[Path]:
    """A folder's entries in name order, without hidden ones (``.DS_Store``, ``.~lock…#`` of LibreOffice)."""
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _is_report(path: Path) -> bool:
    """Whether a folder's entry is imported (or refused as a workbook to save as .xlsx) with the folder."""
    wanted = REPORT_SUFFIXES | OTHER_WORKBOOKS
    return path.is_file() and path.suffix.lower() in wanted and not path.name.startswith(EXCEL_OWNER_FILE)


def check_exists(path: Path) -> None:
    """Refuse a file that is not there (a name mistyped) in one line, before anything reads it."""
    if not path.is_file():
        raise DataError(
            f"no existe ese archivo (ni esa carpeta): {path}. Revise el nombre y la ruta.",
            path=path,
            field="ARCHIVO",
        )


def check_importable(path: Path, field: str, then: str = "vuelva a importar") -> None:
    """Refuse a file ``importar`` does not read, saying what it reads, before reading it as a text extract
    (an Excel 97 workbook or a Word file would be refused for its «period»); *then*: what to do next."""
    suffix = path.suffix.lower()
    if suffix in OTHER_WORKBOOKS:
        raise DataError(
            f"no se lee un libro {suffix}: ábralo en Excel o LibreOffice, guárdelo como «Libro de Excel "
            f"(.xlsx)» (Guardar como) y {then}.",
            path=path,
            field=field,
        )
    if suffix not in REPORT_SUFFIXES:
        raise DataError(
            f"no es un archivo que se pueda importar: se importa {IMPORTABLE}.", path=path, field=field
        )


def check_batch_options(
    sources, anio, cuatrimestre, anual: bool, options: ImportOptions, errors: list | None = None
) -> list[Path]:
    """The files of the batch, the options checked. With an *errors* list (a review) a file of a kind that
    is not imported goes on it and is left out, so that the review still lists everything else."""
    check_outlier_factor(options.outlier_factor)
    if options.cifras is not None and options.cifras not in CIFRAS:
        raise DataError(
            f"--cifras debe ser «periodo» o «acumulado» y se indicó «{options.cifras}».", field="--cifras"
        )
    files = expand_sources(sources)
    refused = []
    for path in files:
        check_exists(path)
        try:
            if path.suffix:
                check_importable(path, "ARCHIVO")
        except DataError as exc:
            if errors is None:
                raise
            errors.append(exc)
            refused.append(path)
    files = [path for path in files if path not in refused]
    if anual and cuatrimestre is not None:
        raise DataError(
            "--anual (el total del año) y --cuatrimestre no van juntos: indique uno de los dos.",
            field="--anual",
        )
    if not files and not refused:
        raise DataError(
            "no hay ningún reporte que importar (.pdf, .txt, .csv o .xlsx) en "
            f"{join_es([str(source) for source in sources])}.",
            field="ARCHIVO",
        )
    if len(files) > 1 and (anio is not None or cuatrimestre is not None):
        raise DataError(
            f"--anio y --cuatrimestre valen para un solo archivo y se indicaron {len(files)}: se aplicarían "
            "a todos. Quítelos: el período de cada archivo se lee de su título y de su pie.",
            field="--anio" if anio is not None else "--cuatrimestre",
        )
    repeated = sorted({p.name for p in files if files.count(p) > 1})
    if repeated:
        raise DataError(f"el archivo {repeated[0]} se indicó más de una vez.", field="ARCHIVO")
    return files


def read_source(
    source: Path,
    anio: int | None,
    cuatrimestre: int | None,
    anual: bool,
    options: ImportOptions,
    today: dt.date | None,
) -> ReadFile:
    """Read one file on its own: its period (given or read from it), its figures' kind, its rows."""
    explicit = anio is not None and (cuatrimestre is not None or anual)
    if explicit and not anual:
        check_import_period(anio, cuatrimestre, today)
    check_exists(source)  # again: it may have gone since the batch was checked
    if not is_template(source):
        check_is_report(source)
        if options.published:
            refuse_if_simulated(source, SIMULATED_REFUSAL)
    # read even when the period is given: the footer still tells how the figures count («de mayo a agosto»)
    statements = statements_any(source)
    period = decide(
        source, statements, anio=anio, cuatrimestre=cuatrimestre, anual=anual, cifras=options.cifras
    )
    if period.anual:
        check_annual_year(period.anio, today, source)
    elif not explicit:
        check_import_period(period.anio, period.cuatrimestre, today)
    cifras = _cifras(source, period, options.cifras)
    data = source.read_bytes()  # the bytes checked are the bytes kept in data/raw/
    rows = parse_any(source, period.anio, period.cuatrimestre, annual=period.anual)
    return ReadFile(source, data, period, cifras, rows, _reading_line(source, period, cifras, options.cifras))


@contextmanager
def naming(source: Path, *, always: bool = False) -> Iterator[None]:
    """Make a refusal while handling *source* name it: in a batch, which file was refused matters most.

    A refusal that names no file gets *source*; with ``always``, so does one naming another file (a
    table of data/ the file clashes with: the file is what the analyst must look at).
    """
    try:
        yield
    except DataError as exc:
        if exc.path is not None and (exc.path.name == source.name or not always):
            raise
        raise DataError(
            exc.reason,
            path=source,
            line=exc.line,
            row=exc.row,
            field=exc.field,
            page=exc.page,
            sheet=exc.sheet,
        ) from exc


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
        path=source,
        field="--cifras",
    )


def _reading_line(source: Path, period: ReportPeriod, cifras: str, given: str | None) -> str:
    """«poa_2021_c2.txt: 2021, cuatrimestre 2 (leído del título)», with what the footer says of the
    figures; of a workbook, the sheet read («poa_2021_c2.xlsx, hoja «POA»: …»)."""
    sheet = f", hoja «{read_sheet(source).sheet}»" if holds_report(source) else ""
    line = f"{source.name}{sheet}: {period.label()} ({period.origen})"
    if period.anual or period.cifras is None:
        return line
    if given is None:
        return (
            f"{line}; cifras "
            f"{'acumuladas desde enero' if cifras == 'acumulado' else 'del período'}, según el pie"
        )
    if given != period.cifras:
        return f"{line}; el pie sugiere cifras «{period.cifras}», se usa --cifras {given} como se indicó"
    return line


def check_no_repeated_period(reads: list[ReadFile]) -> None:
    for first, second in itertools.pairwise(reads):
        if first.period.sort_key == second.period.sort_key:
            raise DataError(
                f"este archivo y {first.source.name} son los dos de "
                f"{second.period.label()}: importe solo uno.",
                path=second.source,
                field="periodo",
            )
