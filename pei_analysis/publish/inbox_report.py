"""What the inbox writes for people: the lines of ``registro.log`` and the refusal report ``RECHAZADO.txt``.

The scheduled run happens when nobody is watching, so what it leaves behind must be read cold, by
someone who did not run it: the log says, one dated line per file, where each report went; the
refusal report says which file, line and field, why, and what to do next, in Spanish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pei_analysis.errors import DataError
from pei_analysis.format import fmt_date, fmt_int
from pei_analysis.paths import INBOX_DIR

if TYPE_CHECKING:  # only for annotations: the inbox module imports this one
    from pei_analysis.ingest.importer import BatchResult
    from pei_analysis.publish.inbox import Inbox


def log_line(now: dt.datetime, action: str, text: str) -> str:
    """One line of ``registro.log``: when, what happened, to what (``2026-05-15 06:00:03  importado  …``)."""
    return f"{now.strftime('%Y-%m-%d %H:%M:%S')}  {action}  {text}"


def import_lines(batch: BatchResult) -> list[str]:
    """What ``importar`` would have said of the batch: each period imported, past years left incomplete."""
    lines = [f"Aviso: {notice}" for notice in batch.avisos]
    lines.extend(batch.catalogo)
    for result in batch.archivos:
        period = (
            f"del total anual de {result.anio}"
            if result.cuatrimestre is None
            else f"de {result.anio}, cuatrimestre {result.cuatrimestre}"
        )
        lines.append(
            f"Importado: {result.productos} productos {period} (ejecutado total "
            f"{fmt_int(result.ejecutado_total)}); original guardado en "
            f"data/raw/{result.raw_path.name}"
        )
    lines.extend(f"  {note}" for note in batch.incompletos)
    return lines


def refusal_text(
    refusal: DataError, files: Sequence[Path], inbox: Inbox, now: dt.datetime, each: Sequence[DataError] = ()
) -> str:
    """The report a refused run leaves beside the inbox: where, why, and the steps that unblock it; with
    *each* (several files the importer cannot read), every file with its own reason."""
    lines = [
        f"Reportes rechazados por la corrida del {fmt_date(now.date())} a las {now.strftime('%H:%M')}.",
        "",
        "No se importó ni se publicó nada: los datos (data/), el sitio y la bandeja quedaron como estaban.",
        "",
        *(_each_file(each) if each else _where(refusal)),
        "",
        "Qué hacer:",
        *(_unreadable_steps(inbox) if each else [*_first_step(refusal, inbox), *_review_step(inbox)]),
        "  3. La próxima corrida programada lo vuelve a intentar con todo lo que haya en la bandeja;",
        "     cuando importe, borra este informe.",
        "",
        "Archivos que había en la bandeja (todos siguen ahí):",
        *(f"  {path.name}" for path in files),
        "",
        f"Mensaje completo: {refusal}",
    ]
    return "\n".join(lines) + "\n"


def _where(refusal: DataError) -> list[str]:
    """The file, line, row and field of one refusal, then its reason."""
    where = [
        ("Archivo", refusal.path.name if refusal.path else None),
        ("Línea", refusal.line),
        ("Fila", refusal.row),
        ("Campo", refusal.field),
    ]
    return [
        *(f"{label}: {value}" for label, value in where if value is not None),
        f"Por qué: {refusal.reason}",
    ]


def _each_file(refusals: Sequence[DataError]) -> list[str]:
    """Every file the importer cannot read with its reason, so one look clears the whole inbox."""
    return [
        f"Archivos que la corrida no puede importar ({len(refusals)}):",
        *(f"  {r.path.name if r.path else '?'}: {r.reason}" for r in refusals),
    ]


def _review_step(inbox: Inbox) -> list[str]:
    """Step 2 of a refusal of the figures: `importar --revisar` lists everything at once."""
    return [
        "  2. Para ver de una vez todo lo que hay que resolver (cada archivo que no cuadra, cada",
        "     descripción que el catálogo no reconoce, con la fila que propone), sin importar nada:",
        f"     .venv/bin/pei-analysis importar {inbox.entrada} --revisar",
        "     Sin --revisar, la misma orden los importa si ya cuadran, y la corrida siguiente solo publica.",
    ]


def _unreadable_steps(inbox: Inbox) -> list[str]:
    """Steps 1 and 2 when files are refused for what they are: `importar --revisar` would skip them (it
    reads only reports from a folder), so the check is `bandeja --revisar`."""
    return [
        "  1. Saque de la bandeja cada archivo de la lista; si es un reporte, haga lo que dice su porqué",
        f"     (por ejemplo, guardarlo como .xlsx) y déjelo en {inbox.entrada.name}/ en lugar del original.",
        "  2. Para comprobar, sin cambiar nada, que la corrida ya no rechazará ningún archivo por su tipo:",
        f"     .venv/bin/pei-analysis bandeja{_inbox_option(inbox)} --revisar",
    ]


def _inbox_option(inbox: Inbox) -> str:
    """`` --bandeja CARPETA`` for an inbox other than the repository's (the default), else nothing."""
    return "" if inbox.root.resolve() == INBOX_DIR.resolve() else f" --bandeja {inbox.root}"


def _first_step(refusal: DataError, inbox: Inbox) -> list[str]:
    """How to unblock the inbox: fix the file, or, when the refusal asks for an option of `importar`.

    The inbox cannot take options (a dropped file carries no `--cifras`), so a refusal that names an
    option (its field starts with «--») is solved by importing that one file by hand with it; the next
    run then finds the original already in data/raw/, moves it and only publishes.
    """
    if refusal.field and refusal.field.startswith("--") and refusal.path:
        return [
            f"  1. La bandeja no recibe opciones: importe ese archivo a mano con la opción {refusal.field}",
            "     que pide el mensaje, por ejemplo:",
            f"     .venv/bin/pei-analysis importar {inbox.entrada / refusal.path.name} {refusal.field} ...",
            "     y déjelo en la bandeja: la corrida siguiente lo reconoce como ya importado, lo mueve a",
            "     procesados/ y publica.",
        ]
    return [
        (
            "  1. Corrija el archivo indicado (o lo que pida el mensaje, por ejemplo una fila de "
            f"data/catalogo/correspondencias.csv) y déjelo de nuevo en {inbox.entrada.name}/."
        ),
        "     Si el archivo no es un reporte del POA, sáquelo de la bandeja.",
    ]
