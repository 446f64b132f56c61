"""La bandeja de la corrida programada: a report dropped in ``bandeja/entrada/`` becomes a published edition.

A scheduled run (cron on a server, or the GitHub workflow) can only make a new edition when a new
report arrived, so it looks in one documented folder and does, under the inbox's lock:

1. Nothing in ``entrada/`` and nothing pending: it says so and changes nothing (no import, no build).
2. Every file the importer cannot read for what it is (a folder, a Word file, an .xls) is refused first,
   all of them named at once (:func:`refusal_of`, also what ``bandeja --revisar`` says). Then the files
   are imported in one call of :func:`~pei_analysis.ingest.importer.import_files`, all or
   nothing, with every check of ``importar``; one whose bytes are already in data/raw/ (imported by an
   earlier run that stopped before moving it, or a copy of a report already imported) is left out by
   the importer, not imported again. A refusal leaves data/, the site and the inbox as they were and
   writes ``RECHAZADO.txt`` beside the inbox (:mod:`pei_analysis.publish.inbox_report`).
3. The editions to publish are recorded in ``.pendiente.json`` *before* any file leaves
   ``entrada/``; then each file gets its dated line in ``registro.log`` and moves to
   ``procesados/AAAA-MM-DD/``.
4. Each edition is built (:func:`~pei_analysis.publish.archive.build_edition`, which skips one whose
   fingerprint did not change), saying where a replaced version was kept; the pending record is removed
   once all are published.

A run killed at any point leaves the files in ``entrada/`` (found in data/raw/ by the next run) or
the pending record (built by the next run): a report is never imported twice nor left unpublished.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pei_analysis.calendar import edition_id
from pei_analysis.errors import BuildError, DataError, InboxRefusal
from pei_analysis.files import atomic_write_text, exclusive_lock, fsync_dir, sha256_file
from pei_analysis.format import join_es
from pei_analysis.ingest import journal
from pei_analysis.ingest.batch_reading import IMPORTABLE, OTHER_WORKBOOKS, REPORT_SUFFIXES, check_importable
from pei_analysis.ingest.importer import BatchResult, import_files
from pei_analysis.ingest.originals import original_period, originals_by_hash
from pei_analysis.paths import data_dir as _data_dir
from pei_analysis.paths import inbox_dir as _inbox_dir
from pei_analysis.publish import processes
from pei_analysis.publish.archive import EditionResult, build_edition
from pei_analysis.publish.inbox_report import import_lines, log_line, refusal_text
from pei_analysis.publish.site_index import SITE_DIR
from pei_analysis.tables.poa import load_poa
from pei_analysis.tables.poa import periods as poa_periods

#: What a run says, and all it does, when no report arrived.
NOTHING_NEW = "No llegó ningún reporte nuevo; no se cambió nada."
ENTRADA, PROCESADOS, REGISTRO, RECHAZADO, PENDIENTE = (
    "entrada",
    "procesados",
    "registro.log",
    "RECHAZADO.txt",
    ".pendiente.json",
)

#: A period as the importer names it: (anio, cuatrimestre), cuatrimestre None for a year's total.
Period = tuple[int, int | None]


@dataclass(frozen=True)
class Inbox:
    """The folders and files of one inbox (by default ``bandeja/`` at the repository's root)."""

    root: Path

    @property
    def entrada(self) -> Path:
        return self.root / ENTRADA

    @property
    def procesados(self) -> Path:
        return self.root / PROCESADOS

    @property
    def registro(self) -> Path:
        return self.root / REGISTRO

    @property
    def rechazado(self) -> Path:
        return self.root / RECHAZADO

    @property
    def pendiente(self) -> Path:
        return self.root / PENDIENTE


@dataclass(frozen=True)
class Arrival:
    """A file of the inbox matched to its original in data/raw/ (same bytes), hence to its period."""

    source: Path
    raw_name: str
    period: Period
    #: False when the original was already in data/raw/ before this run (not imported again).
    imported_now: bool


@dataclass(frozen=True)
class InboxRun:
    """What one run did: where each report went in ``procesados/`` and each edition it published."""

    procesados: tuple[Path, ...] = ()
    ediciones: tuple[EditionResult, ...] = ()


def waiting_files(inbox: Inbox) -> list[Path]:
    """Everything dropped in ``entrada/``, in name order; hidden files (``.gitkeep``) are not reports."""
    if not inbox.entrada.is_dir():
        return []
    return sorted(p for p in inbox.entrada.iterdir() if not p.name.startswith("."))


def refusal_of(path: Path) -> DataError | None:
    """Why the run refuses *path* for what it is (a folder, a Word file, an .xls), or None for a kind of
    file the importer reads: the run and ``bandeja --revisar`` ask this same question, so they agree."""
    if path.is_dir():
        return DataError(
            "es una carpeta: deje los reportes sueltos en la bandeja, sin carpetas.",
            path=path,
            field="bandeja",
        )
    if path.suffix.lower() in OTHER_WORKBOOKS:
        try:
            check_importable(path, "bandeja", then="déjelo en la bandeja en lugar de este")
        except DataError as exc:
            return exc
    if path.suffix.lower() not in REPORT_SUFFIXES:
        return DataError(
            f"no es un reporte que se pueda importar: la bandeja recibe {IMPORTABLE}. Saque el archivo "
            "de la bandeja.",
            path=path,
            field="bandeja",
        )
    return None


class UnreadableFiles(DataError):
    """Several files of the inbox the importer cannot read, each with its own refusal (``refusals``)."""

    def __init__(self, refusals: Sequence[DataError]) -> None:
        self.refusals = tuple(refusals)
        names = join_es([refusal.path.name for refusal in self.refusals if refusal.path])
        super().__init__(
            f"no se pueden importar {len(self.refusals)} archivos de la bandeja, por lo que son: {names}."
        )


def check_reports(files: Sequence[Path]) -> None:
    """Refuse what the importer cannot read (a folder, a Word file), every such file at once: naming only
    the first would take the analyst one run per file to clear the inbox."""
    refusals = [refusal for refusal in map(refusal_of, files) if refusal is not None]
    if len(refusals) == 1:
        raise refusals[0]
    if refusals:
        raise UnreadableFiles(refusals)


def plan_editions(arrived: Sequence[Period], available: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The editions a run publishes, oldest first: each cuatrimestre that arrived in the latest year of
    the data, and always the latest period (past years' reports change what its projection learns
    from, so its fingerprint; a past year's cuatrimestre gets no edition of its own)."""
    if not available:  # only years known by their total: nothing an edition could project
        return []
    latest = available[-1]
    chosen = {(anio, c) for anio, c in arrived if c is not None and anio == latest[0]}
    return sorted(chosen | {latest})


def read_pending(inbox: Inbox) -> list[tuple[int, int]]:
    """The editions an earlier run imported and did not finish publishing (empty when none)."""
    try:
        record = json.loads(inbox.pendiente.read_text(encoding="utf-8"))
        return sorted((int(a), int(c)) for a, c in record["ediciones"])
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(
            "no se puede leer el registro de ediciones pendientes; bórrelo y publique a mano con "
            "pei-analysis edicion.",
            path=inbox.pendiente,
        ) from exc


def run_inbox(
    inbox_dir: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    site_dir: Path = SITE_DIR,
    build: Callable[[int, int], EditionResult] | None = None,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    say: Callable[[str], None] = print,
) -> InboxRun:
    """Import what arrived in the inbox and publish its editions; with nothing new, change nothing.

    *build* (by default :func:`build_edition` into *site_dir*) builds one edition; *say* gets each
    line for the analyst. Raises :class:`InboxRefusal` when the import is refused (after writing
    RECHAZADO.txt), and BuildError when an edition could not be built (it stays pending).
    """
    inbox, root = Inbox(_inbox_dir(inbox_dir)), _data_dir(data_dir)
    if not waiting_files(inbox) and not inbox.pendiente.exists():
        say(NOTHING_NEW)  # before the lock, which would create the inbox's lock file
        return InboxRun()
    build = build or functools.partial(build_edition, site_dir=site_dir, data_dir=root)
    with exclusive_lock(inbox.root, "bandeja", wait=0):  # a second run at once has nothing to wait for
        pending, files = read_pending(inbox), waiting_files(inbox)
        if not files and not pending:
            say(NOTHING_NEW)
            return InboxRun()
        if pending:
            now = "se publica ahora" if len(pending) == 1 else "se publican ahora"
            say(
                f"Aviso: una corrida anterior importó los reportes y no alcanzó a publicar "
                f"{join_es([edition_id(*p) for p in pending])}; {now}."
            )
        moved: tuple[Path, ...] = ()
        if files:
            arrivals = _import(inbox, files, root, clock, say)
            editions = plan_editions([a.period for a in arrivals], poa_periods(load_poa(root)))
            pending = sorted(set(pending) | set(editions))
            moved = _record_and_move(inbox, arrivals, pending, clock(), say)
        return InboxRun(moved, _publish(inbox, pending, build, clock, say))


def _import(inbox: Inbox, files: list[Path], root: Path, clock, say) -> list[Arrival]:
    """Import the files, all or nothing, but those the data already hold byte for byte (the importer leaves
    them out: :func:`~pei_analysis.ingest.originals.files_to_import`); a refusal writes RECHAZADO.txt and
    is raised."""
    try:
        check_reports(files)
        for notice in journal.settle(root, "bandeja"):  # an import killed halfway is no import: roll it back
            say(f"Aviso: {notice}")
        hashes = {path: sha256_file(path) for path in files}
        batch: BatchResult = import_files(files, data_dir=root, on_read=say)
        for line in (*batch.repetidos, *import_lines(batch)):
            say(line)
    except DataError as exc:
        refusal = InboxRefusal(exc.reason, path=exc.path, line=exc.line, row=exc.row, field=exc.field)
        now = clock()
        each = exc.refusals if isinstance(exc, UnreadableFiles) else ()
        atomic_write_text(inbox.rechazado, refusal_text(refusal, files, inbox, now, each))
        _append_log(inbox, [log_line(now, "rechazado", f"{refusal} (ver {RECHAZADO})")])
        raise refusal from exc
    after = originals_by_hash(root)
    # a file left out as another form of a report (its PDF and its workbook) is held by that report's original
    other_forms = dict(batch.otras_formas)
    holder = {path: other_forms.get(path) or after[hashes[path]] for path in files}
    imported = {result.raw_path.name for result in batch.archivos}
    return [
        Arrival(
            path,
            holder[path],
            original_period(holder[path]),
            holder[path] in imported and path not in other_forms,
        )
        for path in files
    ]


def _record_and_move(
    inbox: Inbox, arrivals: list[Arrival], pending: list[tuple[int, int]], now: dt.datetime, say
) -> tuple[Path, ...]:
    """Record what is left to publish, then log and move each file, with Ctrl-C and SIGTERM deferred.

    The pending record comes first: once a file has left ``entrada/`` only that record says its
    edition is still to be published.
    """
    folder = inbox.procesados / now.date().isoformat()
    moved = []
    with processes.critical():
        atomic_write_text(
            inbox.pendiente,
            json.dumps({"ediciones": [list(p) for p in pending], "desde": now.isoformat(timespec="seconds")}),
        )
        folder.mkdir(parents=True, exist_ok=True)
        for arrival in arrivals:
            target = _free_name(folder / arrival.source.name)
            _append_log(inbox, [_arrival_line(arrival, target.relative_to(inbox.root), now)])
            os.replace(arrival.source, target)
            moved.append(target)
        fsync_dir(folder)
        fsync_dir(inbox.entrada)
        if inbox.rechazado.exists():
            inbox.rechazado.unlink()
            say(f"Se retiró {RECHAZADO}: el rechazo anterior quedó resuelto.")
    say(f"{len(moved)} {'archivo movido' if len(moved) == 1 else 'archivos movidos'} a {folder}.")
    return tuple(moved)


def _arrival_line(arrival: Arrival, target: Path, now: dt.datetime) -> str:
    anio, cuatrimestre = arrival.period
    period = f"{anio}, total anual" if cuatrimestre is None else f"{anio}, cuatrimestre {cuatrimestre}"
    if arrival.imported_now:
        return log_line(
            now,
            "importado",
            f"{arrival.source.name} → {target.as_posix()} ({period}; original "
            f"en data/raw/{arrival.raw_name})",
        )
    return log_line(
        now,
        "ya estaba en los datos",
        f"{arrival.source.name} → {target.as_posix()} ({period}; "
        f"igual a data/raw/{arrival.raw_name}; no se importó de nuevo)",
    )


def _publish(inbox: Inbox, editions: list[tuple[int, int]], build, clock, say) -> tuple[EditionResult, ...]:
    """Build each edition, oldest first, then clear the pending record (a failure leaves it pending)."""
    results = []
    for anio, cuatrimestre in editions:
        try:
            result = build(anio, cuatrimestre)
        except DataError as exc:
            name = edition_id(anio, cuatrimestre)
            raise BuildError(f"la edición {name} no se pudo construir: {exc}") from exc
        for line in (result.message, *result.notices):
            say(line)
        what = "publicada" if result.built else "al día"
        _append_log(
            inbox,
            [
                log_line(
                    clock(),
                    what,
                    f"edición {edition_id(anio, cuatrimestre)} (huella {result.fingerprint[:12]})",
                )
            ],
        )
        results.append(result)
    inbox.pendiente.unlink(missing_ok=True)
    return tuple(results)


def _free_name(target: Path) -> Path:
    """*target*, or ``name-2.txt``, ``name-3.txt``… when a file of that name was processed the same day."""
    candidate, n = target, 1
    while candidate.exists():
        n += 1
        candidate = target.with_stem(f"{target.stem}-{n}")
    return candidate


def _append_log(inbox: Inbox, lines: list[str]) -> None:
    """Append lines to ``registro.log`` and flush them to disk before the step they announce."""
    inbox.root.mkdir(parents=True, exist_ok=True)
    with open(inbox.registro, "a", encoding="utf-8") as handle:
        handle.write("".join(f"{line}\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())


def _waiting_line(path: Path) -> str:
    refusal = refusal_of(path)
    if refusal is not None:
        return f"En la bandeja: {path.name} (la corrida lo rechazará: {refusal.reason})"
    return f"En la bandeja: {path.name}"


def describe_waiting(inbox_dir: str | Path | None = None) -> list[str]:
    """What the next run would take, one line each, changing nothing (empty when nothing is waiting); a
    file the run would refuse for what it is (a folder, an .xls) says so, without reading its figures."""
    inbox = Inbox(_inbox_dir(inbox_dir))
    lines = [_waiting_line(path) for path in waiting_files(inbox)]
    if inbox.pendiente.exists():
        lines.append(f"Pendiente de publicar: {join_es([edition_id(*p) for p in read_pending(inbox)])}")
    return lines


def would_refuse(inbox_dir: str | Path | None = None) -> bool:
    """Whether the next run would refuse the inbox for what a waiting file is (the check it runs first):
    ``bandeja --revisar`` says it in its exit code, so a script knows before the run."""
    return any(refusal_of(path) is not None for path in waiting_files(Inbox(_inbox_dir(inbox_dir))))
