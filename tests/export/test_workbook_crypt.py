"""Password protection of the workbook, on real files: encrypt, detect, decrypt."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from demo_workbook import write_demo_workbook

from case_workbook.export.workbook.crypt import (
    OLE_MAGIC,
    WorkbookPasswordError,
    decrypt_bytes,
    encrypt_to,
    is_encrypted,
    read_password_file,
)

PASSWORD = "correct horse battery staple"
ZIP_MAGIC = b"PK\x03\x04"


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return write_demo_workbook(tmp_path_factory.mktemp("crypt"), "plain.xlsx")


@pytest.fixture(scope="module")
def sealed(plain) -> Path:
    out = plain.parent / "Smith case.xlsx"
    encrypt_to(plain, out, PASSWORD)
    return out


def _one_sentence(message: str) -> None:
    assert message.endswith(".")
    assert message.count(". ") == 0 and "\n" not in message
    for word in ("Traceback", "Error", "Exception", "msoffcrypto", "olefile"):
        assert word not in message


def _cells(book, sheet: str) -> list[tuple]:
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]


def test_detects_encrypted_and_plain(plain, sealed, tmp_path):
    assert is_encrypted(sealed) is True
    assert is_encrypted(plain) is False
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert is_encrypted(text) is False
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert is_encrypted(empty) is False


def test_encrypted_file_is_not_a_zip_and_openpyxl_refuses_it(plain, sealed):
    data = sealed.read_bytes()
    assert data.startswith(OLE_MAGIC)
    assert not data.startswith(ZIP_MAGIC)
    assert not zipfile.is_zipfile(sealed)
    # The demo's case title must not be readable in the clear.
    assert b"People v. Doe" not in data
    with pytest.raises(Exception):  # noqa: B017 - openpyxl's own error type varies
        openpyxl.load_workbook(sealed)


def test_right_password_gives_back_the_same_workbook(plain, sealed):
    data = decrypt_bytes(sealed, PASSWORD)
    assert data.startswith(ZIP_MAGIC)
    assert data == plain.read_bytes()
    back = openpyxl.load_workbook(io.BytesIO(data))
    original = openpyxl.load_workbook(plain)
    assert back.sheetnames == original.sheetnames
    assert "Cover" in back.sheetnames
    assert _cells(back, "Cover") == _cells(original, "Cover")
    assert any("People v. Doe" in str(v) for row in _cells(back, "Cover") for v in row)


def test_each_encryption_is_salted_afresh(plain, sealed, tmp_path):
    again = tmp_path / "again.xlsx"
    encrypt_to(plain.read_bytes(), again, PASSWORD)
    assert again.read_bytes() != sealed.read_bytes()
    assert decrypt_bytes(again, PASSWORD) == plain.read_bytes()


def test_wrong_password_is_one_sentence_naming_the_file(sealed):
    with pytest.raises(WorkbookPasswordError) as caught:
        decrypt_bytes(sealed, PASSWORD + "x")
    message = str(caught.value)
    assert message == "The password for Smith case.xlsx is not correct."
    _one_sentence(message)


def test_empty_password_is_refused_and_nothing_is_written(plain, tmp_path):
    out = tmp_path / "out.xlsx"
    with pytest.raises(WorkbookPasswordError) as caught:
        encrypt_to(plain, out, "")
    assert str(caught.value).startswith("The password is empty; ")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_over_long_password_is_refused(plain, tmp_path):
    with pytest.raises(WorkbookPasswordError, match="255"):
        encrypt_to(plain, tmp_path / "out.xlsx", "a" * 256)
    encrypt_to(plain, tmp_path / "ok.xlsx", "a" * 255)
    assert is_encrypted(tmp_path / "ok.xlsx")


def test_written_owner_only_and_replaces_atomically(plain, tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    os.chmod(out, 0o644)
    encrypt_to(plain, out, PASSWORD)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert is_encrypted(out)


def test_not_a_workbook_is_not_encrypted(tmp_path):
    out = tmp_path / "out.xlsx"
    for data in (b"just text", _zip_with("word/document.xml")):
        with pytest.raises(WorkbookPasswordError) as caught:
            encrypt_to(data, out, PASSWORD)
        _one_sentence(str(caught.value))
        assert not out.exists()


def test_unwritable_folder_is_one_sentence(plain, tmp_path):
    with pytest.raises(WorkbookPasswordError) as caught:
        encrypt_to(plain, tmp_path / "no such folder" / "out.xlsx", PASSWORD)
    assert str(caught.value).endswith("its folder does not exist.")


def test_random_bytes_behind_ole_magic(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(OLE_MAGIC + os.urandom(4096))
    assert is_encrypted(fake) is False
    with pytest.raises(WorkbookPasswordError) as caught:
        decrypt_bytes(fake, PASSWORD)
    assert "fake.xlsx" in str(caught.value)
    _one_sentence(str(caught.value))


def test_damaged_encrypted_package_is_one_sentence(sealed, tmp_path):
    data = bytearray(sealed.read_bytes())
    # Flip bytes in the encrypted payload, well past the headers.
    for offset in range(len(data) - 3000, len(data) - 2000):
        data[offset] ^= 0x5A
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    with pytest.raises(WorkbookPasswordError) as caught:
        decrypt_bytes(broken, PASSWORD)
    assert "broken.xlsx is damaged" in str(caught.value)
    _one_sentence(str(caught.value))


def test_truncated_encrypted_file_is_one_sentence(sealed, tmp_path):
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(sealed.read_bytes()[:1500])
    with pytest.raises(WorkbookPasswordError) as caught:
        decrypt_bytes(cut, PASSWORD)
    _one_sentence(str(caught.value))


def test_decrypting_a_plain_or_missing_file(plain, tmp_path):
    with pytest.raises(WorkbookPasswordError, match=r"^plain\.xlsx is not protected"):
        decrypt_bytes(plain, PASSWORD)
    with pytest.raises(WorkbookPasswordError) as caught:
        decrypt_bytes(tmp_path / "gone.xlsx", PASSWORD)
    assert str(caught.value).endswith("it does not exist.")


def test_unicode_password_round_trips(plain, tmp_path):
    out = tmp_path / "u.xlsx"
    encrypt_to(plain, out, "pässwörd ✓ 👨‍👩‍👧")
    assert decrypt_bytes(out, "pässwörd ✓ 👨‍👩‍👧") == plain.read_bytes()
    with pytest.raises(WorkbookPasswordError, match="not correct"):
        decrypt_bytes(out, "passwort ✓ 👨‍👩‍👧")


def test_password_file_first_line_without_its_ending(tmp_path):
    f = tmp_path / "pw"
    for body, expected in [
        (b"secret\n", "secret"),
        (b"secret\r\n", "secret"),
        (b"secret", "secret"),
        (b"  spaced out  \nsecond line\n", "  spaced out  "),
        ("\ufeffpässwörd ✓\r\n".encode(), "pässwörd ✓"),
    ]:
        f.write_bytes(body)
        assert read_password_file(f) == expected


def test_password_file_refusals(tmp_path):
    f = tmp_path / "pw"
    for body in (b"", b"\n", b"\r\nsecret\n", b"\xff\xfe s\x00"):
        f.write_bytes(body)
        with pytest.raises(WorkbookPasswordError) as caught:
            read_password_file(f)
        _one_sentence(str(caught.value).replace(str(f), "FILE"))
    with pytest.raises(WorkbookPasswordError) as caught:
        read_password_file(tmp_path / "missing")
    assert str(caught.value).endswith("it does not exist.")
    with pytest.raises(WorkbookPasswordError, match="is a folder"):
        read_password_file(tmp_path)


def test_password_from_file_opens_what_it_sealed(plain, tmp_path):
    f = tmp_path / "pw"
    f.write_text("s3cret phrase\n")
    out = tmp_path / "o.xlsx"
    encrypt_to(plain, out, read_password_file(f))
    assert decrypt_bytes(out, "s3cret phrase") == plain.read_bytes()


def test_plain_given_as_a_path_string_or_missing(plain, tmp_path):
    out = tmp_path / "s.xlsx"
    encrypt_to(str(plain), out, PASSWORD)  # type: ignore[arg-type]
    assert decrypt_bytes(out, PASSWORD) == plain.read_bytes()
    with pytest.raises(WorkbookPasswordError) as caught:
        encrypt_to(tmp_path / "gone.xlsx", tmp_path / "t.xlsx", PASSWORD)
    assert str(caught.value).endswith("it does not exist.")
    assert not (tmp_path / "t.xlsx").exists()


def _zip_with(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(name, "<x/>")
    return buffer.getvalue()


# LibreOffice cannot take a password on its command line, but its own Python
# bridge (Debian's python3-uno, for the system Python) can: open the workbook
# as a person would, with the right and then a wrong password.
LIBREOFFICE_OPEN = r"""
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

path, password, profile, pipe = sys.argv[1:5]
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
    "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(path)
    for attempt in (password, password + "-wrong"):
        try:
            doc = desktop.loadComponentFromURL(
                url, "_blank", 0, (prop("Hidden", True), prop("Password", attempt)))
        except Exception:
            doc = None
        if doc is None:
            print("REFUSED")
            continue
        cover = doc.Sheets.getByName("Cover")
        print("OPENED|" + "|".join(doc.Sheets.ElementNames) + "|" + cover.getCellByPosition(1, 0).String)
        doc.close(True)
finally:
    office.terminate()
    office.wait(30)
"""


def _system_python_with_uno() -> str | None:
    python = "/usr/bin/python3"
    if not (shutil.which("soffice") and os.path.exists(python)):
        return None
    probe = subprocess.run([python, "-c", "import uno"], check=False, capture_output=True)
    return python if probe.returncode == 0 else None


def test_libreoffice_opens_it_with_the_password_only(plain, sealed, tmp_path):
    python = _system_python_with_uno()
    if python is None:
        pytest.skip("LibreOffice with its Python bridge (python3-uno) is not installed")
    script = tmp_path / "open.py"
    script.write_text(LIBREOFFICE_OPEN)
    done = subprocess.run(
        [python, str(script), str(sealed), PASSWORD, str(tmp_path / "profile"),
         f"cwbcrypt{os.getpid()}"],
        check=False, capture_output=True, text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if re.match(r"^(OPENED|REFUSED)", line)]
    assert len(lines) == 2, done.stdout + done.stderr
    opened, wrong = lines
    names = openpyxl.load_workbook(plain).sheetnames
    assert opened.split("|")[1:-1] == names
    assert opened.split("|")[-1] == "People v. Doe (demo)"
    assert wrong == "REFUSED"

