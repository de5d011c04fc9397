"""A password for the workbook: Excel's own "Encrypt with Password".

The .xlsx is wrapped the way Excel does it (ECMA-376 agile encryption: AES-256,
SHA-512, 100,000 rounds) inside an OLE compound file, so Excel and LibreOffice
ask for the password and open it with nothing else installed. msoffcrypto-tool
does the cryptography; this module keeps its exceptions from ever reaching a
person and turns every failure into one sentence.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import msoffcrypto
from msoffcrypto.exceptions import InvalidKeyError

from case_workbook.fileio import atomic_write, describe_os_error

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Excel's password box takes at most 255 characters; a longer password would
# make a file that Excel itself can never open.
MAX_PASSWORD = 255
# A password file holds one short line; reading more is never needed.
PASSWORD_FILE_READ = 64 * 1024


class WorkbookPasswordError(Exception):
    """A problem with a workbook password, said in one sentence for the person."""


def is_encrypted(path: Path) -> bool:
    """True when `path` is an encrypted Office package (an OLE compound file
    with an EncryptionInfo stream); False for a plain .xlsx, a damaged file or
    anything else. OSError from reading may propagate."""
    if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe or a device: a read may never end
        return False
    with open(path, "rb") as handle:
        if handle.read(len(OLE_MAGIC)) != OLE_MAGIC:
            return False
        handle.seek(0)
        data = handle.read()
    # Parsing happens in memory so that a damaged container (olefile reports it
    # as OSError, among others) is told apart from a file we could not read.
    try:
        return _encrypted_package(msoffcrypto.OfficeFile(io.BytesIO(data)))
    except Exception:  # noqa: BLE001 - a damaged container is simply not one
        return False


def _encrypted_package(office) -> bool:
    # OfficeFile also recognises old binary .xls/.doc files, whose encryption
    # is a different, older scheme that this product neither writes nor reads.
    return office.format == "ooxml" and office.is_encrypted()


def _check_password(password: str) -> None:
    if not password:
        raise WorkbookPasswordError(
            "The password is empty; choose a password of at least one character.")
    if len(password) > MAX_PASSWORD:
        raise WorkbookPasswordError(
            f"The password is longer than the {MAX_PASSWORD} characters Excel accepts; "
            "choose a shorter one.")


def encrypt_to(plain: bytes | Path, out: Path, password: str) -> None:
    """Write `plain` (the .xlsx bytes, or the path of an .xlsx) to `out`,
    encrypted with `password`; atomically and owner-only."""
    _check_password(password)
    out = Path(out)
    if not isinstance(plain, bytes | bytearray):
        source = Path(plain)
        try:
            plain = source.read_bytes()
        except OSError as error:
            raise WorkbookPasswordError(describe_os_error(error, source, "read")) from None
    plain = bytes(plain)
    if not _is_xlsx(plain):
        raise WorkbookPasswordError(
            f"What was to be written to {out.name} is not an .xlsx workbook, "
            "so it was not encrypted.")
    # msoffcrypto calls its encryption experimental, so any failure of it, and
    # a result that does not read back to the same bytes, means one thing to
    # the person: no file, rather than a file the password cannot open.
    failed = WorkbookPasswordError(
        f"{out.name} could not be encrypted, so the workbook was not written.")
    try:
        sealed = io.BytesIO()
        msoffcrypto.OfficeFile(io.BytesIO(plain)).encrypt(password, sealed)
        encrypted = sealed.getvalue()
        if _decrypt(encrypted, password, out.name) != plain:
            raise failed
    except Exception:  # noqa: BLE001 - see the comment above
        raise failed from None
    try:
        with atomic_write(out, "wb") as handle:
            handle.write(encrypted)
    except OSError as error:
        raise WorkbookPasswordError(describe_os_error(error, out, "write")) from None


def decrypt_bytes(path: Path, password: str) -> bytes:
    """The plain .xlsx bytes of the encrypted workbook at `path`."""
    path = Path(path)
    _check_password(password)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorkbookPasswordError(describe_os_error(error, path, "read")) from None
    if not data.startswith(OLE_MAGIC):
        if zipfile.is_zipfile(io.BytesIO(data)):
            raise WorkbookPasswordError(f"{path.name} is not protected with a password.")
        raise WorkbookPasswordError(f"{path.name} is not an Excel workbook.")
    return _decrypt(data, password, path.name)


def _decrypt(data: bytes, password: str, name: str) -> bytes:
    damaged = WorkbookPasswordError(
        f"{name} is damaged or is not a password-protected Excel workbook.")
    # A damaged container can make msoffcrypto, olefile or the XML parser raise
    # nearly anything; all of it means the same to the person.
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        if not _encrypted_package(office):
            raise damaged
    except WorkbookPasswordError:
        raise
    except Exception:  # noqa: BLE001 - see the comment above
        raise damaged from None
    try:
        office.load_key(password=password, verify_password=True)
    except InvalidKeyError:
        raise WorkbookPasswordError(f"The password for {name} is not correct.") from None
    except Exception:  # noqa: BLE001 - see the comment above
        raise damaged from None
    try:
        plain = io.BytesIO()
        # The password is right by now, so a failed integrity check means damage.
        office.decrypt(plain, verify_integrity=True)
    except Exception:  # noqa: BLE001 - see the comment above
        raise damaged from None
    if not _is_xlsx(plain.getvalue()):
        raise WorkbookPasswordError(
            f"{name} is a password-protected Office file but not an Excel workbook.")
    return plain.getvalue()


def _is_xlsx(data: bytes) -> bool:
    # A Word or PowerPoint package is a zip too; only a workbook has this part.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "xl/workbook.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_password_file(path: Path, word: str = "password") -> str:
    """The password (or, with `word`, passphrase) kept in the text file at `path`.

    Only the first line counts, without its line ending (LF or CR LF), so a file
    made with `echo secret > file` or by Notepad works; anything after the
    first line is ignored. A UTF-8 byte-order mark is dropped. Spaces are kept:
    they may be part of the password.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(PASSWORD_FILE_READ)
    except OSError as error:
        raise WorkbookPasswordError(describe_os_error(error, path, "read")) from None
    try:
        line = head.split(b"\n", 1)[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookPasswordError(
            f"The {word} file {path} is not UTF-8 text; save it as UTF-8.") from None
    password = line.removesuffix("\r")
    if not password:
        raise WorkbookPasswordError(
            f"The {word} file {path} has nothing on its first line; "
            f"put the {word} there.")
    return password
