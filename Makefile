# Seguimiento del PEI y del POA del IGSS. `make help` lista los objetivos.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.instalado

.DEFAULT_GOAL := help

.PHONY: help install test test-unit validar lint clean book publicar test-book cuadernos registro-datos ganchos

help: ## Muestra esta ayuda
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Falta $(PYTHON): instale Python 3.11." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (pei-analysis)" >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Crea .venv e instala el proyecto y sus dependencias (primera vez)

validar: $(STAMP) ## Valida todos los datos de data/ e imprime un resumen
	$(PY) -m pei_analysis validar

test: $(STAMP) ## Instala si hace falta y corre todas las pruebas
	$(PY) -m pytest

test-unit: $(STAMP) ## Corre solo las pruebas de la biblioteca (tests/unit)
	$(PY) -m pytest tests/unit

lint: $(STAMP) ## Revisa el estilo del código con ruff
	$(VENV)/bin/ruff check pei_analysis tests evaluation

book: $(STAMP) ## Construye la última edición del libro en site/<A>-c<C>/ (papermill + Jupyter Book)
	$(PY) -m pei_analysis edicion

publicar: $(STAMP) ## Lo que corre la publicación programada: pruebas, validación y la última edición
	$(MAKE) test
	$(PY) -m pei_analysis validar
	$(PY) -m pei_analysis edicion

test-book: $(STAMP) ## Corre solo las pruebas de los cuadernos y del libro (tests/notebooks, tests/e2e)
	$(PY) -m pytest tests/notebooks tests/e2e

cuadernos: $(STAMP) ## Pone de acuerdo cada cuaderno .md con su .ipynb (jupytext --sync, el más reciente manda)
	$(VENV)/bin/jupytext --sync notebooks/*.md

registro-datos: $(STAMP) ## Reescribe data/README.md (columnas, licencia) y data/datapackage.json desde los esquemas
	$(PY) -m pei_analysis.tables.datalog --escribir
	$(PY) -m pei_analysis.tables.datapackage --escribir

ganchos: $(STAMP) ## Instala los ganchos de git de .pre-commit-config.yaml (ruff, cuadernos; sin red)
	$(VENV)/bin/pre-commit install

clean: ## Borra .venv y los artefactos de construcción
	rm -rf $(VENV) book/_build build .pytest_cache
