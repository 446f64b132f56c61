"""Files on disk (pei_analysis.files): atomic writes, the atomic folder swap, hashes and decoding."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

import pytest

from pei_analysis import files
from pei_analysis.errors import DataError


def fail_on_call(monkeypatch, number):
    """Make the *number*-th ``os.replace`` fail, as a full disk or a lost network mount would."""
    calls, real_replace = [], os.replace

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == number:
            raise OSError("disco lleno")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    return calls


# --------------------------------------------------------------------------- atomic_write_text


def test_atomic_write_text_writes_utf8_as_given_and_creates_the_folder(tmp_path):
    target = tmp_path / "sitio" / "latest" / "index.html"
    files.atomic_write_text(target, "Edición «2024-c1»\nlínea\r\n")
    assert target.read_bytes() == "Edición «2024-c1»\nlínea\r\n".encode()
    assert os.listdir(target.parent) == ["index.html"]


def test_atomic_write_text_replaces_an_existing_file(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("antes", encoding="utf-8")
    files.atomic_write_text(target, "después")
    assert target.read_text(encoding="utf-8") == "después"
    assert os.listdir(tmp_path) == ["index.html"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("antes", encoding="utf-8")
    fail_on_call(monkeypatch, 1)
    with pytest.raises(OSError, match="disco lleno"):
        files.atomic_write_text(target, "después")
    assert target.read_text(encoding="utf-8") == "antes"
    assert os.listdir(tmp_path) == ["index.html"]


@pytest.fixture
def umask():
    """Set a umask for one test and restore the previous one afterwards."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield os.umask
    os.umask(previous)


def test_an_atomic_write_leaves_a_file_other_users_can_read_under_the_usual_umask(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "index.html"
    files.atomic_write_text(target, "<p>hola</p>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_atomic_write_honours_a_stricter_umask(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "privado.txt"
    files.atomic_write_text(target, "x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_umask_is_read_without_being_changed(umask):
    umask(0o027)
    assert files.current_umask() == 0o027
    assert files.current_umask() == 0o027


# --------------------------------------------------------------------------- replace_dir


def folder(path, text):
    path.mkdir(parents=True)
    (path / "index.html").write_text(text, encoding="utf-8")
    return path


def test_replace_dir_puts_the_new_folder_in_place_and_deletes_the_old_one(tmp_path):
    new, target = folder(tmp_path / "nueva", "nueva"), folder(tmp_path / "2024-c1", "vieja")
    old = tmp_path / "anterior"
    files.replace_dir(new, target, old)
    assert (target / "index.html").read_text(encoding="utf-8") == "nueva"
    assert not new.exists() and not old.exists()


def test_replace_dir_creates_the_target_when_there_was_none(tmp_path):
    new = folder(tmp_path / "nueva", "nueva")
    files.replace_dir(new, tmp_path / "2024-c1", tmp_path / "anterior")
    assert sorted(os.listdir(tmp_path)) == ["2024-c1"]


def test_replace_dir_clears_a_leftover_of_an_interrupted_swap_first(tmp_path):
    new, target = folder(tmp_path / "nueva", "nueva"), folder(tmp_path / "2024-c1", "vieja")
    old = folder(tmp_path / "anterior", "resto de una corrida interrumpida")
    files.replace_dir(new, target, old)
    assert (target / "index.html").read_text(encoding="utf-8") == "nueva" and not old.exists()


def test_replace_dir_puts_the_previous_folder_back_when_the_new_one_cannot_be_moved_in(tmp_path, monkeypatch):
    new, target = folder(tmp_path / "nueva", "nueva"), folder(tmp_path / "2024-c1", "vieja")
    old = tmp_path / "anterior"
    calls = fail_on_call(monkeypatch, 2)
    with pytest.raises(OSError, match="disco lleno"):
        files.replace_dir(new, target, old)
    assert len(calls) == 3  # aside, in (failed), back
    assert (target / "index.html").read_text(encoding="utf-8") == "vieja"
    assert (new / "index.html").read_text(encoding="utf-8") == "nueva"
    assert not old.exists()


# --------------------------------------------------------------------------- hashes


def test_sha256_of_a_file_is_the_sha256_of_its_bytes(tmp_path):
    path = tmp_path / "poa.csv"
    path.write_bytes(b"anio,cuatrimestre\n2024,1\n")
    expected = hashlib.sha256(b"anio,cuatrimestre\n2024,1\n").hexdigest()
    assert files.sha256_file(path) == files.sha256_bytes(path.read_bytes()) == expected


# --------------------------------------------------------------------------- read_text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("ATENCIÓN MÉDICA\n".encode(), "ATENCIÓN MÉDICA\n"),
        ("\ufeffATENCIÓN MÉDICA\n".encode(), "ATENCIÓN MÉDICA\n"),  # UTF-8 with the BOM Excel writes
        ("ATENCIÓN MÉDICA – niños\n".encode("cp1252"), "ATENCIÓN MÉDICA – niños\n"),  # Windows-1252
        (b"A\x81B\x8dC\n", "A\x81B\x8dC\n"),  # bytes Windows-1252 leaves undefined: Latin-1, never an error
    ],
)
def test_read_text_decodes_utf8_with_or_without_bom_else_windows_1252_else_latin1(tmp_path, raw, text):
    path = tmp_path / "reporte.txt"
    path.write_bytes(raw)
    assert files.read_text(path) == text


def test_read_text_normalises_windows_and_old_mac_line_ends(tmp_path):
    path = tmp_path / "reporte.txt"
    path.write_bytes(b"uno\r\ndos\rtres\n")
    assert files.read_text(path) == "uno\ndos\ntres\n"


def test_read_text_refuses_a_missing_file_naming_it(tmp_path):
    with pytest.raises(DataError, match="no se puede leer el archivo") as err:
        files.read_text(tmp_path / "no_existe.txt")
    assert err.value.path.name == "no_existe.txt"


# --------------------------------------------------------------------------- exclusive_lock


def test_a_second_writer_is_refused_in_spanish_naming_the_run_in_progress(tmp_path):
    held = r"otra orden está escribiendo .*importar poa_2024_c2.txt · proceso \d+"
    with (
        files.exclusive_lock(tmp_path, "importar poa_2024_c2.txt"),
        pytest.raises(DataError, match=held),
        files.exclusive_lock(tmp_path, "deshacer", wait=0.2),
    ):
        pass


def test_the_lock_is_free_again_when_its_holder_finishes(tmp_path):
    with files.exclusive_lock(tmp_path, "importar"):
        pass
    with files.exclusive_lock(tmp_path, "deshacer", wait=0):
        assert "deshacer" in (tmp_path / files.LOCK_NAME).read_text(encoding="utf-8")


def test_a_lock_left_by_a_killed_process_does_not_block_the_next_run(tmp_path):
    import signal
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import time; from pathlib import Path; from pei_analysis import files\n"
                f"with files.exclusive_lock(Path({str(tmp_path)!r}), 'importar'):\n"
                "    print('tengo', flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "tengo"
    with pytest.raises(DataError), files.exclusive_lock(tmp_path, "deshacer", wait=0):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    with files.exclusive_lock(tmp_path, "deshacer", wait=2):
        pass


# --------------------------------------------------------------------------- atomic_write_bytes


def test_atomic_write_bytes_writes_the_exact_bytes_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "raw" / "original.xlsx"
    files.atomic_write_bytes(target, b"PK\x03\x04\x00\xff\r\n")
    assert target.read_bytes() == b"PK\x03\x04\x00\xff\r\n"
    assert files.temporary_leftovers(target) == [] and sorted(p.name for p in target.parent.iterdir()) == [
        "original.xlsx"
    ]


def test_temporary_leftovers_finds_what_a_killed_write_left_beside_its_target_only(tmp_path):
    target = tmp_path / "poa_[1].csv"
    (tmp_path / ".poa_[1].csv.abc123").write_bytes(b"a medias")
    (tmp_path / ".otro.csv.abc123").write_bytes(b"ajeno")
    assert [p.name for p in files.temporary_leftovers(target)] == [".poa_[1].csv.abc123"]


def test_restore_replaced_puts_back_a_folder_moved_aside_by_a_run_killed_between_the_renames(tmp_path):
    target = tmp_path / "2024-c1"
    folder(files.aside_path(target), "publicada")
    files.restore_replaced(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "publicada"
    assert not files.aside_path(target).exists()


def test_restore_replaced_deletes_a_copy_aside_next_to_its_folder(tmp_path):
    target = folder(tmp_path / "2024-c1", "nueva")
    folder(files.aside_path(target), "vieja")
    files.restore_replaced(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "nueva"
    assert sorted(os.listdir(tmp_path)) == ["2024-c1"]


def test_share_tree_gives_what_mkdtemp_made_the_permissions_of_mkdir(tmp_path, umask):
    umask(0o022)
    made = Path(tempfile.mkdtemp(dir=tmp_path))
    fd, name = tempfile.mkstemp(dir=made)
    os.close(fd)
    files.share_tree(made)
    assert made.stat().st_mode & 0o777 == 0o755 and Path(name).stat().st_mode & 0o777 == 0o644
