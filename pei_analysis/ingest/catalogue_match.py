"""Give each product of an imported report its catalogue key, by description, never by number.

A report renumbers its products whenever one is added or removed, and two products of a subprogram
can trade numbers; matched by number, their series would be spliced together without a word. So a
product is recognised by its normalised description (``tables.catalogue.normalise_description``)
among the catalogue products of the same programme, subprogramme and sigla, in any year the
catalogue has seen. The analyst's correspondence file (``data/catalogo/correspondencias.csv``)
comes first: it settles a renamed product or an ambiguous description. A description that matches
nothing, or more than one product, is refused with the row to add there, or, with
``--producto-nuevo``, becomes a new product of the catalogue.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.ingest.template import TEMPLATE_SUFFIXES
from pei_analysis.tables.catalogue import (
    NEW,
    Catalogue,
    key_prefix,
    normalise_description,
)

#: The option of ``importar`` that accepts unmatched descriptions as new products.
NEW_FLAG = "--producto-nuevo"
#: The option of ``importar`` that checks a batch without writing and lists every unmatched description.
REVIEW_FLAG = "--revisar"
#: What a proposed correspondence row says when no product of the subprogram stands out (the schema
#: refuses it, so a row pasted unread cannot splice two products).
UNKNOWN_KEY = "CLAVE"
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


@dataclass(frozen=True)
class KeyAssignment:
    """What matching a report against the catalogue gives: the keyed rows and what the catalogue gains."""

    #: The report's rows, with a ``clave`` column.
    rows: pd.DataFrame
    #: Rows to append to ``productos.csv`` (new products; unit and nature left for the analyst).
    productos: pd.DataFrame
    #: Rows to append to ``productos_por_anio.csv`` (the year's number and description of each product).
    por_anio: pd.DataFrame
    #: One Spanish line on what was recognised (renumbered or new products); empty when nothing changed.
    aviso: str

    def applied(self, catalogue: Catalogue) -> Catalogue:
        """*catalogue* with this assignment's rows added (what an import writes).

        A year's row that the report contradicts (the same product with another number, or the same
        number for another product: a period re-imported with ``--reemplazar``) gives way to the report's.
        """
        productos = pd.concat([catalogue.productos, self.productos], ignore_index=True)
        old = catalogue.por_anio
        for row in self.por_anio.itertuples(index=False):
            old = old[
                ~(
                    (old["anio"] == row.anio)
                    & ((old["clave"] == row.clave) | (old["producto"] == row.producto))
                )
            ]
        por_anio = pd.concat([old, self.por_anio], ignore_index=True)
        por_anio = por_anio.sort_values(["anio", "producto"], kind="stable").reset_index(drop=True)
        return Catalogue(productos, por_anio, catalogue.correspondencias)


def assign_keys(
    new: pd.DataFrame,
    catalogue: Catalogue,
    source: Path,
    *,
    accept_new: bool = False,
    pending: Pending | None = None,
) -> KeyAssignment:
    """Key every row of *new* (one report: one year) by description; refuse what the analyst must settle.

    Nothing is written here: the caller writes the assignment with the table, in one transaction.
    With *pending* (a review, ``--revisar``), a description that matches nothing, or more than one
    product, is added to it instead of refused and keyed as a provisional new product, so the later
    reports of the batch are checked too and the same old description is not listed again (an ambiguous
    one is, once a year: each year's report must say which product it is); the notice does not count
    those as new.
    """
    new = new.sort_values("producto", kind="stable").reset_index(drop=True)
    anio = int(new["anio"].iloc[0])
    known = _known_descriptions(catalogue)
    settled = _correspondences(catalogue, anio)
    provisional = pending.provisional if pending is not None else set()
    claves, unmatched, ambiguous = [], [], []
    for row in new.itertuples(index=False):
        found = _match(row, known, settled, provisional)
        if len(found) > 1:
            if pending is None:
                raise _ambiguous_error(row, found, source)
            pending.items.append(_ambiguity(row, found, catalogue, source))
            ambiguous.append(int(row.producto))
        elif not found:
            unmatched.append(row)
        claves.append(found[0] if len(found) == 1 else None)
    if unmatched and not accept_new:
        if pending is None:
            raise _unmatched_error(unmatched[0], len(unmatched), claves, catalogue, source)
        pending.items.extend(propose(row, claves, catalogue, source) for row in unmatched)
    keyed = new.assign(clave=claves)
    # Keyed only for a review to go on: the ambiguous rows, and those matching nothing unless new was asked.
    unsettled = keyed["producto"].isin(ambiguous) | (keyed["clave"].isna() & (not accept_new))
    productos = _new_products(keyed, catalogue)
    keyed.loc[keyed["clave"] == NEW, "clave"] = productos["clave"].to_numpy()
    _check_one_row_per_key(keyed, catalogue, source)
    por_anio = _year_rows(keyed, catalogue)
    if pending is not None:
        pending.provisional.update(keyed.loc[unsettled, "clave"])
    said = productos[~productos["clave"].isin(keyed.loc[unsettled, "clave"])]
    return KeyAssignment(keyed, productos, por_anio, _notice(keyed, catalogue, said, por_anio))


def _known_descriptions(catalogue: Catalogue) -> pd.DataFrame:
    """Every (clave, normalised description) the catalogue has seen, with the clave's group."""
    seen = catalogue.por_anio.merge(
        catalogue.productos[["clave", "programa", "subprograma", "sigla"]], on="clave"
    )
    seen = seen.assign(norma=seen["descripcion"].map(normalise_description), sigla=seen["sigla"].fillna(""))
    return seen[["clave", "programa", "subprograma", "sigla", "norma"]].drop_duplicates()


def _correspondences(catalogue: Catalogue, anio: int) -> dict[tuple[str, str, str], str]:
    rows = catalogue.correspondencias[catalogue.correspondencias["anio"] == anio]
    return {
        (r.programa, r.subprograma, normalise_description(r.descripcion)): r.clave for r in rows.itertuples()
    }


def _match(row, known: pd.DataFrame, settled: dict, provisional: set[str]) -> list[str]:
    """The claves the row's description matches: one (``NEW`` for a new product by correspondence), none,
    or several. A review's provisional products count only when nothing else matches."""
    norma = normalise_description(row.descripcion)
    decided = settled.get((row.programa, row.subprograma, norma))
    if decided is not None:
        return [decided]
    sigla = row.sigla if isinstance(row.sigla, str) else ""
    same = known[
        (known["programa"] == row.programa)
        & (known["subprograma"] == row.subprograma)
        & (known["sigla"] == sigla)
        & (known["norma"] == norma)
    ]
    found = sorted(set(same["clave"]))
    settled_ones = [clave for clave in found if clave not in provisional]
    return settled_ones or found[:1]


def _ambiguous_error(row, found: list[str], source: Path) -> DataError:
    """The refusal of a description that matches several products, with the row that settles it."""
    return DataError(
        f"{_product(row)}: la descripción coincide con más de un producto del catálogo "
        f"({', '.join(found)}). Diga cuál es agregando a data/catalogo/correspondencias.csv la fila "
        f"{_row_text(row, found[0])} (con la clave que corresponda).",
        path=source,
        **_at(source, row.linea_origen),
        field="descripcion",
    )


def _ambiguity(row, found: list[str], catalogue: Catalogue, source: Path) -> Unmatched:
    """A description that matches several products, for a review: the analyst says which (``CLAVE``)."""
    named = ", ".join(_named(c, catalogue) for c in found)
    return _unmatched(row, source, UNKNOWN_KEY, f"coincide con más de un producto: {named}; diga cuál es")


def _unmatched(row, source: Path, clave: str, hint: str) -> Unmatched:
    """The row as a review lists it: where it is, what it is, the clave proposed and why."""
    return Unmatched(
        archivo=Path(source).name,
        donde=_at(source, row.linea_origen),
        producto=_product(row),
        hint=hint,
        fila=_row_text(row, clave),
    )


def _unmatched_error(row, count: int, claves: list, catalogue: Catalogue, source: Path) -> DataError:
    """The refusal of a description that matches nothing, with the correspondence row that would settle it."""
    proposal = propose(row, claves, catalogue, source)
    more = f" (y {count - 1} más)" if count > 1 else ""
    return DataError(
        f"{_product(row)}{more}: la descripción no coincide con ninguna del catálogo de productos "
        f"({proposal.hint}). Si es un producto que cambió de nombre, agregue a "
        f"data/catalogo/correspondencias.csv la fila {proposal.fila} ; si es un producto nuevo, importe con "
        f"{NEW_FLAG}. «pei-analysis importar ARCHIVOS {REVIEW_FLAG}» lista todas las del lote, sin "
        "importar nada.",
        path=source,
        **_at(source, row.linea_origen),
        field="descripcion",
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
    known = _known_descriptions(catalogue)
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


def _new_products(keyed: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Catalogue rows for the products without a key: the next free sequence of their group, unit and nature
    empty."""
    rows, taken = [], set(catalogue.productos["clave"])
    for row in keyed[keyed["clave"].isna() | (keyed["clave"] == NEW)].itertuples(index=False):
        prefix = key_prefix(row.programa, row.subprograma, row.sigla)
        number = 1
        while f"{prefix}-{number}" in taken:
            number += 1
        taken.add(f"{prefix}-{number}")
        rows.append(
            {
                "clave": f"{prefix}-{number}",
                "programa": row.programa,
                "subprograma": row.subprograma,
                "sigla": row.sigla if isinstance(row.sigla, str) and row.sigla else None,
                "nombre_corto": None,
                "unidad_medida": None,
                "naturaleza": None,
                "nota": f"Agregado al importar {int(row.anio)} ({NEW_FLAG}); falta que un analista llene "
                "unidad_medida y naturaleza.",
            }
        )
    keyed.loc[keyed["clave"].isna(), "clave"] = NEW
    return pd.DataFrame(rows, columns=catalogue.productos.columns)


def _check_one_row_per_key(keyed: pd.DataFrame, catalogue: Catalogue, source: Path) -> None:
    """Two rows of the report cannot be one product."""
    twice = keyed[keyed["clave"].duplicated(keep="first")]
    if not twice.empty:
        row = next(twice.itertuples(index=False))
        first = keyed[keyed["clave"] == row.clave].iloc[0]
        raise DataError(
            f"{_product(row)} y el producto {int(first['producto'])} resultan ser el mismo producto del "
            f"catálogo ({row.clave}). Diga qué es cada uno en data/catalogo/correspondencias.csv.",
            path=source,
            **_at(source, row.linea_origen),
            field="descripcion",
        )


def _year_rows(keyed: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The rows the catalogue does not have yet for this year: number and description of each product."""
    columns = ["clave", "anio", "producto", "descripcion"]
    rows = keyed[columns].astype({"anio": "int64", "producto": "int64"})
    have = set(catalogue.por_anio[columns].itertuples(index=False, name=None))
    return rows[[tuple(r) not in have for r in rows.itertuples(index=False, name=None)]].reset_index(
        drop=True
    )


def _notice(
    keyed: pd.DataFrame, catalogue: Catalogue, productos: pd.DataFrame, por_anio: pd.DataFrame
) -> str:
    """One line: the products that changed number against the nearest year, and the new ones.

    Said once per year: the later reports of a year the catalogue already has (``por_anio`` empty)
    number their products as the first did, and repeating the line would read as a new change.
    """
    anio = int(keyed["anio"].iloc[0])
    other = catalogue.por_anio[catalogue.por_anio["anio"] != anio]
    keyed = keyed[keyed["clave"].isin(por_anio["clave"])]
    parts = []
    if not other.empty:
        nearest = int(min(set(other["anio"]), key=lambda y: (abs(y - anio), -y)))
        before = other[other["anio"] == nearest].set_index("clave")["producto"]
        was = keyed["clave"].map(before)
        moved = keyed[was.notna() & (was != keyed["producto"])]
        if not moved.empty:
            changes = _changes(
                dict(zip(was[moved.index].astype(int), moved["producto"].astype(int), strict=True))
            )
            parts.append(
                f"{len(moved)} {'producto cambió' if len(moved) == 1 else 'productos cambiaron'} de número "
                f"respecto de {nearest} ({changes}); se reconocieron por su descripción"
            )
    if not productos.empty:
        parts.append(
            f"{len(productos)} {'producto nuevo' if len(productos) == 1 else 'productos nuevos'} en el "
            f"catálogo ({', '.join(productos['clave'])}): falta su unidad de medida y su naturaleza"
        )
    return f"{anio}: {'; '.join(parts)}." if parts else ""


def _changes(moves: dict[int, int]) -> str:
    """«7↔8» for two products that traded numbers, «9→10» for one that moved."""
    out, done = [], set()
    for old, new in sorted(moves.items()):
        if old in done:
            continue
        if moves.get(new) == old:
            out.append(f"{old}↔{new}")
            done.update({old, new})
        else:
            out.append(f"{old}→{new}")
    return ", ".join(out)


def _product(row) -> str:
    start = " ".join(str(row.descripcion).split())
    start = start if len(start) <= _START else start[:_START].rstrip() + "…"
    return f"producto {int(row.producto)} «{start}»"


def _row_text(row, clave: str) -> str:
    """The correspondence row, exactly as it goes in the CSV."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [int(row.anio), row.programa, row.subprograma, row.descripcion, clave]
    )
    return out.getvalue()


def _at(source: Path, number) -> dict:
    """Where a product sits: a line of a text extract, a row (fila) of a spreadsheet template."""
    return {"row": int(number)} if Path(source).suffix.lower() in TEMPLATE_SUFFIXES else {"line": int(number)}
