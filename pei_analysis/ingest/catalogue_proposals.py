"""What the analyst is told to add to ``data/catalogo/correspondencias.csv``, and where the product sits.

A description the catalogue does not recognise (:mod:`.catalogue_match`) is settled by a row of the
correspondence file that only the analyst can write. The import refuses it with that row, and a review
(``importar --revisar``, :mod:`.review`) lists every one of a batch; both propose the row here, with the
clave its evidence points to and why, never deciding: a guessed clave that is wrong would splice two
services into one series, so where nothing stands out the row says ``CLAVE``, which the schema refuses.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.ingest.locations import location
from pei_analysis.tables.catalogue import NEW, Catalogue, normalise_description

#: What a proposed correspondence row says when no product of the subprogram stands out (the schema
#: refuses it, so a row pasted unread cannot splice two products).
UNKNOWN_KEY = "CLAVE"
#: A description is quoted up to this many characters in a message.
_START = 60


@dataclass(frozen=True)
class Unmatched:
    """A product whose description matches nothing in the catalogue (or several products), and the
    correspondence row proposed."""

    #: The report's file name and where the product sits in it (``{"line": n}`` or ``{"row": n}``).
    archivo: str
    donde: dict
    #: «producto 5 «Afiliados, beneficiarios…»».
    producto: str
    #: Why that clave: the product with the same description elsewhere, or the products of its
    #: subprogram that the report left without a match.
    hint: str
    #: The row proposed for ``correspondencias.csv``, exactly as it goes in the CSV.
    fila: str

    def where(self) -> str:
        """«poa_2021_c1.txt, línea 18» (fila for a spreadsheet)."""
        kind, number = next(iter(self.donde.items()))
        return f"{self.archivo}, {'línea' if kind == 'line' else 'fila'} {number}"


@dataclass
class Pending:
    """What a review (``--revisar``) gathers over a batch instead of refusing: each description without
    one match, and the provisional keys given to them so that the batch's later reports can be checked."""

    items: list[Unmatched] = field(default_factory=list)
    provisional: set[str] = field(default_factory=set)


def known_descriptions(catalogue: Catalogue) -> pd.DataFrame:
    """Every (clave, normalised description) the catalogue has seen, with the clave's group."""
    seen = catalogue.por_anio.merge(
        catalogue.productos[["clave", "programa", "subprograma", "sigla"]], on="clave"
    )
    seen = seen.assign(norma=seen["descripcion"].map(normalise_description), sigla=seen["sigla"].fillna(""))
    return seen[["clave", "programa", "subprograma", "sigla", "norma"]].drop_duplicates()


def ambiguity(row, found: list[str], catalogue: Catalogue, source: Path) -> Unmatched:
    """A description that matches several products, for a review: the analyst says which (``CLAVE``)."""
    named = ", ".join(_named(c, catalogue) for c in found)
    return _unmatched(row, source, UNKNOWN_KEY, f"coincide con más de un producto: {named}; diga cuál es")


def _unmatched(row, source: Path, clave: str, hint: str) -> Unmatched:
    """The row as a review lists it: where it is, what it is, the clave proposed and why."""
    return Unmatched(
        archivo=Path(source).name,
        donde=location(source, row.linea_origen),
        producto=product_label(row),
        hint=hint,
        fila=correspondence_row(row, clave),
    )


def propose(row, claves: list, catalogue: Catalogue, source: Path) -> Unmatched:
    """The correspondence row proposed for an unmatched product, and why.

    The product with the very same description elsewhere in the catalogue, if one alone has it (a
    product moved to another subprogram, or whose sigla changed); else the product of its subprogram
    left without a match in this report, or, of several, the one whose description shares most of the
    words that tell the subprogram's products apart (``CLAVE`` when none stands out, for the analyst to
    choose; ``nuevo`` when none is left).
    """
    taken = {c for c in claves if c}
    return _unmatched(row, source, *(_moved(row, taken, catalogue) or _in_subprogram(row, taken, catalogue)))


def _moved(row, taken: set, catalogue: Catalogue) -> tuple[str, str] | None:
    """(clave, hint) of the one product of another group (programme, subprogramme or sigla) that had this
    very description in some year, if it has no match in this report yet."""
    known = known_descriptions(catalogue)
    same = sorted(set(known.loc[known["norma"] == normalise_description(row.descripcion), "clave"]) - taken)
    if len(same) != 1:
        return None
    clave = same[0]
    return clave, (
        f"la misma descripción es la de {_named(clave, catalogue)}: si el producto cambió de subprograma o "
        "de sigla, es ese"
    )


def _in_subprogram(row, taken: set, catalogue: Catalogue) -> tuple[str, str]:
    """(clave, hint) among the products of the row's subprogram that this report left without a match."""
    group = catalogue.productos[
        (catalogue.productos["programa"] == row.programa)
        & (catalogue.productos["subprograma"] == row.subprograma)
    ]
    free = sorted(set(group["clave"]) - taken)
    if not free:
        return NEW, "ningún producto del subprograma quedó sin pareja: parece un producto nuevo"
    listed = ", ".join(_named(c, catalogue) for c in free)
    hint = f"productos del subprograma sin pareja en este reporte: {listed}"
    return _closest(row.descripcion, free, set(group["clave"]), catalogue), hint


def _named(clave: str, catalogue: Catalogue) -> str:
    """«11-02-ENF-3 «Emergencia por enfermedad»» (the key alone while the analyst has not named it)."""
    names = catalogue.productos.set_index("clave")["nombre_corto"]
    name = names.get(clave)
    return f"{clave} «{name}»" if isinstance(name, str) and name.strip() else clave


def _closest(description: str, free: list[str], group: set[str], catalogue: Catalogue) -> str:
    """The free clave whose descriptions share most distinctive words with *description*; ``CLAVE`` if
    none does more than the others (words every product of the subprogram uses tell nothing)."""
    if len(free) == 1:
        return free[0]
    seen = catalogue.por_anio[catalogue.por_anio["clave"].isin(group)]
    words = {
        clave: set(" ".join(map(normalise_description, rows["descripcion"])).split())
        for clave, rows in seen.groupby("clave")
    }
    common = set.intersection(*words.values()) if words else set()
    mine = set(normalise_description(description).split()) - common
    scores = sorted(((len(mine & words.get(c, set())), c) for c in free), reverse=True)
    if scores and scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return UNKNOWN_KEY


def product_label(row) -> str:
    """«producto 5 «Afiliados, beneficiarios…»»: the number and the start of the description."""
    start = " ".join(str(row.descripcion).split())
    start = start if len(start) <= _START else start[:_START].rstrip() + "…"
    return f"producto {int(row.producto)} «{start}»"


def correspondence_row(row, clave: str) -> str:
    """The correspondence row, exactly as it goes in the CSV."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [int(row.anio), row.programa, row.subprograma, row.descripcion, clave]
    )
    return out.getvalue()
