"""``importar --revisar``: check a batch exactly as the import would, write nothing, and list what to settle.

On the first day an analyst loads years of past reports, and a product renamed between years is
refused one at a time: fix one row, import again, meet the next. A review reads every file, lists
every file refused on its own, and checks the batch in period order as :func:`.importer.import_files`
does, except that each description without a match in the catalogue is listed, with the row proposed
for ``data/catalogo/correspondencias.csv`` (:func:`.catalogue_proposals.propose`), and each figure out of
line with its product's history (:func:`.history_checks.check_outliers`), instead of stopping the batch.
It takes no lock and writes nothing, not even the recovery of an interrupted run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pei_analysis.errors import DataError
from pei_analysis.ingest import journal
from pei_analysis.ingest.batch_reading import ImportOptions, check_batch_options
from pei_analysis.ingest.catalogue_proposals import Pending, Unmatched
from pei_analysis.ingest.history_checks import OUTLIER_FACTOR
from pei_analysis.ingest.importer import (
    BatchResult,
    BatchState,
    check_years,
    file_result,
    prepare_file,
    read_batch,
    tables_to_write,
)
from pei_analysis.ingest.originals import files_to_import, repeated_line
from pei_analysis.ingest.same_report import already_in_data
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.paths import is_published
from pei_analysis.tables.catalogue import load_catalogue
from pei_analysis.tables.poa import load_poa, load_poa_annual, poa_annual_schema, poa_schema


@dataclass(frozen=True)
class BatchReview:
    """What an import of the batch would do, and what stops it; nothing of it was written."""

    #: The import as it would go: the files that passed every check (in period order), the lines
    #: read, the years left incomplete, the catalogue lines and the tables that would change.
    lote: BatchResult
    #: Every description of the batch with no match in the catalogue, or with several, and its proposed row.
    sin_pareja: tuple[Unmatched, ...]
    #: The refusals: every figure out of line with its history, every file refused on its own, and the
    #: first other check of the batch that failed.
    errores: tuple[DataError, ...]

    @property
    def importable(self) -> bool:
        """Whether ``importar`` with the same files and options would import them."""
        return not self.sin_pareja and not self.errores


def review_files(
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
) -> BatchReview:
    """Check *sources* as :func:`.importer.import_files` would with the same options, writing nothing.

    The options themselves are refused as by the import (a DataError). After a file refused on its
    own the batch is not checked further: the later files would be checked without it.
    """
    root = _data_dir(data_dir)
    options = ImportOptions(
        cifras, replace, accept_new_products, outlier_factor, published=is_published(root)
    )
    errors: list[DataError] = []
    files = check_batch_options(sources, anio, cuatrimestre, anual, options, errors)
    files, kept = files_to_import(files, root, options.replace)
    reads, twins = read_batch(files, anio, cuatrimestre, anual, options, today, errors)
    repeated = (*(repeated_line(path, name) for path, name in kept.items()), *(f.line for f in twins))
    lecturas = tuple(read.lectura for read in reads)
    if errors:
        return BatchReview(BatchResult((), lecturas, (), (), (), repetidos=repeated), (), tuple(errors))
    poa_schema(root)
    poa_annual_schema(root)
    if journal.interrupted(root):
        raise DataError(
            "una importación o un deshacer anterior quedó a medias: «pei-analysis validar» la termina "
            "(o la deshace) y luego se puede revisar.",
            path=root,
        )
    reads, same = already_in_data(reads, root, options.replace)
    repeated = (*repeated, *(f.line for f in same))
    state = BatchState(root, load_poa(root), load_poa_annual(root), load_catalogue(root))
    pending, outliers = Pending(), []
    prepared, incomplete, tables = [], [], []
    try:
        for read in reads:
            prepared.append(prepare_file(read, state, options, pending, outliers))
        incomplete = check_years(reads, state)
        tables = tables_to_write(prepared, state)  # the tables as they would be written pass their schemas
    except DataError as exc:
        errors.append(exc)
    batch = BatchResult(
        tuple(file_result(p, root, []) for p in prepared),
        lecturas,
        tuple(incomplete),
        (),
        tuple(root / path for path, _ in tables),
        tuple(p.catalogo for p in prepared if p.catalogo),
        repeated,
    )
    return BatchReview(batch, tuple(pending.items), (*outliers, *errors))
