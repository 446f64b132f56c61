"""Where the project's files live, anchored on the package, never on the working directory."""

from __future__ import annotations

from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_DIR / "data"
#: The inbox of the scheduled run: reports dropped in ``bandeja/entrada/`` are imported and published.
INBOX_DIR = REPO_DIR / "bandeja"


def data_dir(path: str | Path | None = None) -> Path:
    """Return *path* as a Path, or the repository's ``data/`` when it is None."""
    return Path(path) if path is not None else DATA_DIR


def is_published(path: str | Path) -> bool:
    """Whether *path* is the repository's ``data/``, the folder the published book is built from (and not a
    copy an analyst tries things in with ``--datos``)."""
    return Path(path).resolve() == DATA_DIR.resolve()


def inbox_dir(path: str | Path | None = None) -> Path:
    """Return *path* as a Path, or the repository's ``bandeja/`` when it is None."""
    return Path(path) if path is not None else INBOX_DIR
