"""El capítulo Datos: las tablas de la edición en CSV y XLSX, con su diccionario de columnas.

Downloads keep the data's own column names and unformatted numbers, so an analyst can compute
with them; the CSV is UTF-8 with a BOM so that Excel shows the accents. Every text cell goes
through :func:`~pei_analysis.spreadsheet.safe_frame` first: a description beginning with «=» must
reach the reader's spreadsheet as text, never as a formula.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from pei_analysis.chapters.display import md_escape, plural
from pei_analysis.chapters.methods import with_method_labels
from pei_analysis.chapters.pei_links import linked_products
from pei_analysis.chapters.status_notes import with_status_notes
from pei_analysis.errors import DataError
from pei_analysis.model import attainment
from pei_analysis.model.edition import Edition, period_rows, program_summary
from pei_analysis.spreadsheet import fix_xlsx_dates, safe_frame
from pei_analysis.tables.datapackage import PACKAGE_FILE
from pei_analysis.tables.poa import PRODUCT_KEY

#: File names of the Datos chapter's downloads, and what each holds (shown beside the links).
EXPORTS: dict[str, str] = {
    "poa_ejecucion": "Datos del POA tal como se importaron de SICOIN (una fila por producto y cuatrimestre)",
    "avance_por_producto": "Avance acumulado de cada producto contra la parte del año transcurrida",
    "proyeccion_y_semaforo": "Proyección al cierre, su intervalo, el % de lo programado y el semáforo",
    "resumen_por_programa": "Resumen por programa: productos, atrasados, avance mediano y semáforo",
    "vinculos_poa_pei": "Vínculos de cada producto del POA con objetivos, estrategias y metas del PEI",
    "pei_metas": "Metas del PEI 2018-2022 con sus indicadores",
}
#: Downloads offered only when the data hold earlier years (an empty file would say nothing).
HISTORY_EXPORTS: dict[str, str] = {
    "historia_por_producto": "Cada producto frente al mismo cuatrimestre (y a lo "
    "acumulado) de cada año anterior",
    "perfil_dentro_del_anio": (
        "Parte del total del año alcanzada al cierre de los cuatrimestres 1 y 2, por producto y año completo"
    ),
    "proyecciones_anteriores": "Lo que el método habría proyectado en cada año anterior "
    "completo, frente al total real",
}


def export_tables(tables: Mapping[str, pd.DataFrame], directory: str | Path) -> pd.DataFrame:
    """Write each table as CSV (UTF-8 with BOM, so Excel shows the accents) and XLSX; return the file list.

    Also writes one workbook with every table as a sheet. Returns one row per table with the
    relative paths of its files and its row count, for the Datos chapter to link.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, table in tables.items():
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise DataError(f"nombre de tabla no válido para un archivo: {name!r}", field="nombre")
        csv_path = directory / f"{name}.csv"
        xlsx_path = directory / f"{name}.xlsx"
        write_csv(table, csv_path)
        _write_xlsx({name: table}, xlsx_path)
        rows.append(
            {
                "tabla": name,
                "descripcion": EXPORTS.get(name, HISTORY_EXPORTS.get(name, "")),
                "filas": len(table),
                "columnas": len(table.columns),
                "csv": csv_path.name,
                "xlsx": xlsx_path.name,
            }
        )
    workbook = directory / "todas_las_tablas.xlsx"
    _write_xlsx(dict(tables), workbook)
    return pd.DataFrame(rows)


#: How a download writes a yes/no column: the words a Spanish spreadsheet user reads, the same in the CSV,
#: the XLSX and the column dictionary (not Python's True/False, nor «Verdadero» in one place only).
YES, NO = "sí", "no"
#: What the Datos chapter says above the column dictionary about empty cells and yes/no columns.
DICTIONARY_NOTE = (
    "En las descargas, una celda vacía significa «sin datos» (por ejemplo, un porcentaje de algo programado "
    "en 0, que no se puede calcular), un límite superior sin límite o una proyección que no se hizo (nada "
    "ejecutado y sin años anteriores); ninguna celda dice «inf» ni «nan». Las columnas de sí o no dicen "
    f"«{YES}» o «{NO}». `porcentaje_reportado` es el porcentaje tal como lo imprime SICOIN, con dos "
    "decimales; los demás porcentajes van sin redondear."
)


def spreadsheet_frame(table: pd.DataFrame) -> pd.DataFrame:
    """*table* as a spreadsheet should receive it: ±inf empty (sin datos) and True/False as «sí»/«no».

    A percentage of a target of 0 is infinite in the model; written out it becomes the text «inf»,
    which a spreadsheet neither computes with nor explains, so it leaves the cell empty, as any
    other missing figure. Numbers are otherwise untouched.
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            out[column] = values.mask(np.isinf(values.to_numpy(dtype=float)))
        elif pd.api.types.is_bool_dtype(values) or _is_yes_no(values):
            out[column] = values.map(lambda v: v if _blank(v) else (YES if bool(v) else NO)).astype(object)
    return out


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _is_yes_no(values: pd.Series) -> bool:
    """An object column holding only booleans (and blanks): a yes/no column with missing values."""
    if values.dtype != object:
        return False
    present = [v for v in values if not _blank(v)]
    return bool(present) and all(isinstance(v, (bool, np.bool_)) for v in present)


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """One table as the book's CSV: UTF-8 with BOM (Excel shows the accents), text made safe for a
    spreadsheet, ±inf empty and yes/no as «sí»/«no» (:func:`spreadsheet_frame`)."""
    safe_frame(spreadsheet_frame(table)).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def _write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables.items():
            clean = safe_frame(spreadsheet_frame(table))
            for column in clean.columns:
                if clean[column].dtype == object or pd.api.types.is_string_dtype(clean[column]):
                    clean[column] = clean[column].astype(object).where(clean[column].notna(), None)
            clean.to_excel(writer, sheet_name=name[:31], index=False)
    fix_xlsx_dates(path)


def downloads_markdown(files: pd.DataFrame, folder: str) -> str:
    """A MyST list of download links (the ``{download}`` role copies each file into the book).

    The last item links the data package the build writes beside the CSVs
    (:mod:`pei_analysis.publish.edition_files`); a plain HTML link, since Sphinx does not know that file.
    """
    lines = []
    for r in files.itertuples():
        desc = md_escape(r.descripcion) if r.descripcion else md_escape(r.tabla)
        lines.append(
            f"- **{md_escape(r.tabla)}** ({plural(int(r.filas), 'fila', 'filas')}): {desc}. "
            f"{{download}}`CSV <{folder}/{r.csv}>` · {{download}}`XLSX <{folder}/{r.xlsx}>`"
        )
    lines.append(
        "- **Todas las tablas en un solo libro de Excel**: {download}`XLSX "
        f"<{folder}/todas_las_tablas.xlsx>`"
    )
    package = html.escape(f"{folder}/{PACKAGE_FILE}")
    lines.append(
        f"- **Las mismas tablas en CSV con su paquete de datos** (Frictionless, para programas y portales de "
        f"datos abiertos: columnas, tipos, significados, licencia CC BY 4.0 y fuentes): "
        f'<a href="{package}"><code>{package}</code></a>'
    )
    return "\n".join(lines)


def column_dictionary(tables: Mapping[str, pd.DataFrame], descriptions: Mapping[str, str]) -> pd.DataFrame:
    """Every column of the exported tables once, with the tables it is in and its meaning (empty when
    unknown)."""
    where: dict[str, list[str]] = {}
    for name, table in tables.items():
        for column in table.columns:
            where.setdefault(str(column), []).append(name)
    return pd.DataFrame(
        [
            {"columna": c, "tablas": ", ".join(t), "descripcion": descriptions.get(c, "")}
            for c, t in where.items()
        ]
    )


#: Meaning of the columns this module adds (the POA's own columns are documented by its schema).
COLUMN_MEANINGS: dict[str, str] = {
    "ejecutado_acumulado": "Producción (o pagos) realizada en el año hasta el cuatrimestre de la edición",
    "cuatrimestres": "Cuatrimestres del año con datos para el producto",
    "pct_avance": "Ejecutado acumulado como % de lo programado (vigente)",
    "pct_esperado": "Parte del año transcurrida al cierre del cuatrimestre, en %",
    "brecha_pp": "% de avance menos % esperado, en puntos porcentuales (negativo: atrasado)",
    "proyeccion": "Total del año proyectado (vacío si no se proyecta: nada ejecutado y sin años anteriores)",
    "limite_inferior": "Límite inferior del intervalo de predicción de la proyección",
    "limite_superior": "Límite superior del intervalo de predicción de la proyección (vacío si no tiene: "
    "sin proyección, o sin límite)",
    "metodo": "Método de proyección usado",
    "pct_proyectado": "Proyección como % de lo programado",
    "pct_inferior": "Límite inferior como % de lo programado",
    "pct_superior": "Límite superior como % de lo programado",
    "estado": "Semáforo: satisfactorio, en riesgo, crítico, sobre-ejecución o una marca "
    "(meta pequeña, sin ejecución)",
    "estado_incierto": f"«{YES}» si el intervalo cruza un umbral del semáforo; «{NO}» si no",
    "nota": "Explicación del semáforo del producto",
    "nombre_corto": "Nombre breve del producto en el catálogo "
    "(data/catalogo/productos.csv), el de tablas y gráficos",
    "unidad_medida": "Lo que cuenta el producto (consultas, egresos, pagos…), según el catálogo "
    "(data/catalogo/productos.csv); más preciso que «unidad», la del reporte",
    "productos": "Número de productos",
    "atrasados": "Productos con avance menor que el esperado",
    "al_ritmo": "Productos con avance igual o mayor que el esperado",
    "bajo_meta": "Productos calificados cuya proyección al cierre queda por debajo del umbral satisfactorio "
    "(en riesgo o crítico)",
    "pct_avance_mediana": "Mediana del % de avance de los productos del programa",
    "pct_avance_min": "Menor % de avance de los productos del programa",
    "pct_avance_max": "Mayor % de avance de los productos del programa",
    "objetivo_id": "Identificador del objetivo estratégico del PEI (O1 a O5)",
    "objetivo": "Objetivo estratégico del PEI: identificador y nombre",
    "estrategia_id": "Identificador de la estrategia del PEI (p. ej. O3-E1); vacío si el "
    "vínculo es solo con el objetivo",
    "meta_id": "Identificador de la meta del PEI (p. ej. O3-E1-M2); vacío si el vínculo no llega a una meta",
    "razon": "Por qué el producto sirve a ese objetivo, estrategia o meta, con citas de los dos documentos",
    "tipo": (
        "Tipo de vínculo: contribución directa (el elemento del PEI nombra lo que el producto cuenta; solo "
        "estos vínculos entran en las cifras por objetivo y por estrategia), apoyo o contexto"
    ),
    "confianza": (
        "Confianza del vínculo: alta (el elemento del PEI nombra lo que el producto cuenta), media (lectura "
        "razonable con un hueco) o baja (usa conocimiento de fuera de los documentos, o es una lectura floja)"
    ),
    "elemento": "Meta (o, sin ella, estrategia) a la que llega el vínculo, o «el objetivo en general»",
    "fuente_externa": "«no» si la razón solo usa el reporte y el PEI; si no, «sí: …» y qué sabe de fuera",
    "numero": "Número de la meta dentro de su estrategia, como en el texto del PEI",
    "rotulo": "Rótulo de la meta en el texto del PEI (p. ej. «Meta 1»)",
    "texto": "Texto completo de la meta en el PEI",
    "tiene_indicador": f"«{YES}» si la meta da una cifra que se puede medir; «{NO}» si no",
    "linea_fuente": "Línea del texto del PEI (data/raw/) donde está la meta",
    "indicador": "Indicador con que se mide la meta",
    "meta_tipo": "nivel (un valor que alcanzar) o variacion_porcentual (un cambio respecto de la línea base)",
    "linea_base_valor": "Valor de partida del indicador, si el texto lo da",
    "linea_base_fecha": "Fecha de la línea base, si el texto la da",
    "meta_valor": "Valor que la meta fija para el indicador",
    "meta_anio": "Año en que debe alcanzarse la meta (vacío: cada año)",
    "sentido": "aumentar, disminuir, mantener_arriba o mantener_abajo",
    "estricto": f"Solo en mantener_arriba o mantener_abajo: «{YES}» si el texto excluye el umbral mismo "
    f"(«por encima del 25%»: 25 no cumple); «{NO}» o vacío si lo admite («no debe superar el 10%»: 10 "
    "cumple)",
    **{estado: f"Productos del programa con semáforo «{estado}»" for estado in attainment.ESTADOS},
    "anio_anterior": "Año anterior con el que se compara",
    "acumulado": "Ejecutado de este año desde enero hasta el cuatrimestre de la edición",
    "ejecutado_anterior": "Ejecutado en el mismo cuatrimestre del año anterior (vacío si no hay dato)",
    "acumulado_anterior": "Ejecutado desde enero hasta el mismo cuatrimestre del año "
    "anterior (vacío si no hay dato)",
    "tipo_anio": "Qué tienen los datos de ese año: completo, incompleto (falta un "
    "cuatrimestre) o anual (solo el total)",
    "dato": "comparable; sin_cuatrimestre (al año le falta el cuatrimestre); solo_anual; "
    "sin_producto (no existía)",
    "cambio": "Ejecutado menos ejecutado_anterior, en unidades del producto",
    "cambio_pct": "Cambio como % de ejecutado_anterior (vacío si era 0)",
    "cambio_acumulado": "Acumulado menos acumulado_anterior, en unidades del producto",
    "cambio_acumulado_pct": "Cambio del acumulado como % de acumulado_anterior (vacío si era 0)",
    "total": "Total ejecutado del año (sus tres cuatrimestres)",
    "cuota_c1": "Parte del total del año ejecutada en el primer cuatrimestre, en %",
    "cuota_c2": "Parte del total del año ejecutada al cierre del segundo cuatrimestre (acumulado), en %",
    "observado": "Ejecutado de ese año hasta el cuatrimestre en que se proyectó",
    "real": "Total real de ese año",
    "error_pct": "Proyección menos total real, como % del total real",
    "dentro_del_intervalo": f"«{YES}» si el total real quedó dentro del intervalo "
    f"de predicción; «{NO}» si no",
    "ritmo": "Proyección del ritmo parejo (lo ejecutado extendido al año entero), para comparar",
    "error_ritmo_pct": "Ritmo parejo menos total real, como % del total real",
}


def schema_meanings(schema_columns: Iterable[Mapping]) -> dict[str, str]:
    """Column meanings from a table schema's ``columnas`` entries (nombre, descripcion)."""
    return {c["nombre"]: str(c.get("descripcion", "")).strip() for c in schema_columns}


def edition_exports(
    edition: Edition, pei=None, linkage: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The tables behind the book, as the Datos chapter offers them for download (numbers unformatted)."""
    t = edition.table
    execution_columns = [
        "anio",
        "cuatrimestre",
        "programa",
        "programa_nombre",
        "subprograma",
        "subprograma_nombre",
        "producto",
        PRODUCT_KEY,  # the catalogue key, beside the report number as in the other downloads
        "descripcion",
        "sigla",
        "unidad",
        "programado",
        "ejecutado_acumulado",
        "cuatrimestres",
        "pct_avance",
        "pct_esperado",
        "brecha_pp",
    ]
    tables = {
        "poa_ejecucion": period_rows(edition.poa, edition.anio, edition.cuatrimestre),
        "avance_por_producto": t[execution_columns],
        "proyeccion_y_semaforo": with_method_labels(with_status_notes(t, edition.thresholds)),
        "resumen_por_programa": program_summary(t),
    }
    if pei is not None and linkage is not None:
        tables["vinculos_poa_pei"] = linked_products(linkage, t, pei)
    if pei is not None:
        indicators = pei.indicadores.drop(columns=["estrategia_id", "objetivo_id"])
        tables["pei_metas"] = pei.metas.merge(indicators, on="meta_id", how="left")
    past = getattr(edition, "history", None)
    if past is not None and past.has_past:
        tables["historia_por_producto"] = number_then_key(past.comparison)
    if past is not None and past.has_profiles:
        tables["perfil_dentro_del_anio"] = with_product_names(past.profiles, t)
    if past is not None and past.has_record:
        tables["proyecciones_anteriores"] = number_then_key(with_method_labels(past.record))
    return tables


def number_then_key(table: pd.DataFrame) -> pd.DataFrame:
    """*table* with the report number first and the catalogue key right after it, as in every download."""
    front = [c for c in ("producto", PRODUCT_KEY) if c in table.columns]
    return table[front + [c for c in table.columns if c not in front]]


def with_product_names(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """*rows* (keyed by the catalogue key only) with the edition's report number and short name in front.

    A reader knows a product by its number in this report and its name, not by «11-01-SALI-1»; a product
    the edition no longer has keeps both empty (its key still says what it is).
    """
    names = table[["producto", PRODUCT_KEY, "nombre_corto"]].drop_duplicates(PRODUCT_KEY)
    out = names.merge(rows, on=PRODUCT_KEY, how="right")
    return out.astype({"producto": "Int64"})
