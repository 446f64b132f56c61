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

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pei_analysis.errors import DataError
from pei_analysis.ingest.catalogue_proposals import (
    Pending,
    ambiguity,
    correspondence_row,
    known_descriptions,
    product_label,
    propose,
)
from pei_analysis.ingest.locations import location
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
    known = known_descriptions(catalogue)
    settled = _correspondences(catalogue, anio)
    provisional = pending.provisional if pending is not None else set()
    claves, unmatched, ambiguous = [], [], []
    for row in new.itertuples(index=False):
        found = _match(row, known, settled, provisional)
        if len(found) > 1:
            if pending is None:
                raise _ambiguous_error(row, found, source)
            pending.items.append(ambiguity(row, found, catalogue, source))
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
        f"{product_label(row)}: la descripción coincide con más de un producto del catálogo "
        f"({', '.join(found)}). Diga cuál es agregando a data/catalogo/correspondencias.csv la fila "
        f"{correspondence_row(row, found[0])} (con la clave que corresponda).",
        path=source,
        **location(source, row.linea_origen),
        field="descripcion",
    )


def _unmatched_error(row, count: int, claves: list, catalogue: Catalogue, source: Path) -> DataError:
    """The refusal of a description that matches nothing, with the correspondence row that would settle it."""
    proposal = propose(row, claves, catalogue, source)
    more = f" (y {count - 1} más)" if count > 1 else ""
    return DataError(
        f"{product_label(row)}{more}: la descripción no coincide con ninguna del catálogo de productos "
        f"({proposal.hint}). Si es un producto que cambió de nombre, agregue a "
        f"data/catalogo/correspondencias.csv la fila {proposal.fila} ; si es un producto nuevo, importe con "
        f"{NEW_FLAG}. «pei-analysis importar ARCHIVOS {REVIEW_FLAG}» lista todas las del lote, sin "
        "importar nada.",
        path=source,
        **location(source, row.linea_origen),
        field="descripcion",
    )


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
            f"{product_label(row)} y el producto {int(first['producto'])} resultan ser el mismo producto del "
            f"catálogo ({row.clave}). Diga qué es cada uno en data/catalogo/correspondencias.csv.",
            path=source,
            **location(source, row.linea_origen),
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
