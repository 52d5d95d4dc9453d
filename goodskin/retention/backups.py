"""Encrypted backups of the data database, and restores that keep every erasure.

Design:
- What is backed up: the `default` (data) database only. The keyring (person keys and the erasure
  journal) is never in a data backup (ADR 0007): a key destroyed after a backup stays destroyed,
  so an erased person's sealed values in an old backup can never be read.
- Format (`.gsbk`): one JSON header line (format, created, engine, master-key id, plaintext size
  and SHA-256, the applied migrations), then the dump in 1 MiB chunks, each sealed with AES-GCM
  under a key derived from the master key (HKDF, "goodskin-backup-v1"). Each chunk's nonce and
  associated data bind its index, the header and whether it is the last, so a reordered,
  truncated, edited or foreign file is refused before anything is changed.
- SQLite uses the online backup API (a consistent copy while the site runs); PostgreSQL uses
  `pg_dump --format=custom` and `pg_restore --clean`.
- After a restore, `reapply_erasures` replays the erasure journal and `apply_retention` removes what
  expired since the backup, so nobody erased or expired after the backup comes back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from goodskin.vault.keys import master_keys

FORMAT = "goodskin-backup-1"
CHUNK = 1024 * 1024
SUFFIX = ".gsbk"


class BackupRefused(Exception):
    """The file is not a backup this installation made, or it was damaged: nothing was changed."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created: datetime
    engine: str
    size: int


def backup_dir() -> Path:
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _backup_key(master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"goodskin-backup-v1").derive(
        master
    )


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header_hash: bytes, index: int, last: bool) -> bytes:
    return header_hash + struct.pack(">I?", index, last)


def _migrations() -> list[str]:
    recorder = MigrationRecorder(connections["default"])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _dump(target: Path) -> str:
    connection = connections["default"]
    engine = connection.vendor
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return engine
    if engine == "postgresql":
        subprocess.run(  # noqa: S603  (fixed program, arguments from settings)
            [_program("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", *_pg_args()],
            check=True,
            env=_pg_env(),
            capture_output=True,
        )
        return engine
    raise BackupRefused(f"backups of {engine} databases are not supported")


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"{name} is not installed (apt-get install -y postgresql-client)")
    return found


def _pg_args() -> list[str]:
    config = connections["default"].settings_dict
    args = [f"--dbname={config['NAME']}"]
    if config.get("HOST"):
        args.append(f"--host={config['HOST']}")
    if config.get("PORT"):
        args.append(f"--port={config['PORT']}")
    if config.get("USER"):
        args.append(f"--username={config['USER']}")
    return args


def _pg_env() -> dict[str, str]:
    password = connections["default"].settings_dict.get("PASSWORD") or ""
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _chunks(handle: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    current = handle.read(CHUNK)
    while True:
        following = handle.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def create_backup(*, now: datetime) -> BackupFile:
    """Write an encrypted backup of the data database into BACKUP_DIR and return it."""
    with tempfile.TemporaryDirectory(prefix="goodskin-backup-") as scratch:
        plain = Path(scratch) / "dump"
        engine = _dump(plain)
        digest = hashlib.sha256()
        with plain.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        master = settings.GOODSKIN_MASTER_KEY
        header: dict[str, Any] = {
            "format": FORMAT,
            "created": now.astimezone(UTC).isoformat(),
            "engine": engine,
            "master_key_id": next(iter(master_keys())),
            "size": plain.stat().st_size,
            "sha256": digest.hexdigest(),
            "migrations": _migrations(),
            "nonce_prefix": os.urandom(8).hex(),
        }
        header_line = json.dumps(header, sort_keys=True).encode() + b"\n"
        header_hash = hashlib.sha256(header_line).digest()
        cipher = AESGCM(_backup_key(master))
        prefix = bytes.fromhex(header["nonce_prefix"])
        name = f"goodskin-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{engine}{SUFFIX}"
        destination = backup_dir() / name
        partial = destination.with_suffix(".partial")
        with plain.open("rb") as source, partial.open("wb") as out:
            out.write(header_line)
            for index, (block, last) in enumerate(_chunks(source)):
                sealed = cipher.encrypt(
                    _nonce(prefix, index), block, _aad(header_hash, index, last)
                )
                out.write(struct.pack(">I", len(sealed)) + sealed)
        os.chmod(partial, 0o600)
        partial.rename(destination)  # a crash mid-write never leaves a file that looks finished
    return BackupFile(destination, now, engine, destination.stat().st_size)


def read_header(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            header: dict[str, Any] = json.loads(handle.readline())
    except (OSError, ValueError) as error:
        raise BackupRefused(f"{path.name} is not a GoodSkin backup ({error})") from None
    if header.get("format") != FORMAT:
        raise BackupRefused(f"{path.name} is not a GoodSkin backup")
    return header


def _decrypt_to(path: Path, target: Path) -> dict[str, Any]:
    header = read_header(path)
    master = master_keys().get(str(header.get("master_key_id")))
    if master is None:
        raise BackupRefused(
            f"{path.name} was made with master key {header.get('master_key_id')}, which is not "
            "configured here: it is from another installation, or from before a key rotation "
            "(add the old key to GOODSKIN_PREVIOUS_MASTER_KEYS)"
        )
    cipher = AESGCM(_backup_key(master))
    prefix = bytes.fromhex(header["nonce_prefix"])
    digest = hashlib.sha256()
    with path.open("rb") as handle, target.open("wb") as out:
        header_hash = hashlib.sha256(handle.readline()).digest()
        index, finished = 0, False
        while True:
            length_bytes = handle.read(4)
            if not length_bytes:
                break
            if finished or len(length_bytes) < 4:
                raise BackupRefused(f"{path.name} is damaged: data after its end")
            (length,) = struct.unpack(">I", length_bytes)
            sealed = handle.read(length)
            for last in (False, True):
                try:
                    block = cipher.decrypt(
                        _nonce(prefix, index), sealed, _aad(header_hash, index, last)
                    )
                except InvalidTag:
                    continue
                finished = last
                break
            else:
                raise BackupRefused(f"{path.name} is damaged or was altered (chunk {index})")
            digest.update(block)
            out.write(block)
            index += 1
    if not finished:
        raise BackupRefused(f"{path.name} is incomplete: it ends before its last chunk")
    if digest.hexdigest() != header["sha256"]:
        raise BackupRefused(f"{path.name} does not match its own checksum")
    return header


def restore_backup(path: Path) -> dict[str, Any]:
    """Replace the data database with the backup's contents. Every check runs before the first
    change; the caller then re-applies erasures and retention (actions.restore_from_backup)."""
    connection = connections["default"]
    with tempfile.TemporaryDirectory(prefix="goodskin-restore-") as scratch:
        plain = Path(scratch) / "dump"
        header = _decrypt_to(path, plain)
        if header["engine"] != connection.vendor:
            raise BackupRefused(
                f"{path.name} is a {header['engine']} backup; this site runs on {connection.vendor}"
            )
        missing = sorted(set(header["migrations"]) - set(_migrations()))
        if missing:
            raise BackupRefused(
                f"{path.name} needs migrations this code does not have ({missing[0]}, …): "
                "restore it with the code that made it"
            )
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(plain)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            _restore_postgresql(plain, Path(scratch) / "restore.sql")
    return header


def _restore_postgresql(dump: Path, script: Path) -> None:
    """One transaction: empty the schema, then load the dump. `pg_restore --clean` cannot drop
    partitioned tables' inherited constraints, so the schema is dropped whole instead; if any
    statement fails, everything rolls back and the database is as it was."""
    connections["default"].close()
    subprocess.run(  # noqa: S603  (fixed program, arguments from settings)
        [_program("pg_restore"), "--no-owner", f"--file={script}", str(dump)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(  # noqa: S603  (fixed program, arguments from settings)
        [
            _program("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            *_pg_args(),
            "--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            f"--file={script}",
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupRefused(
            f"the database refused the backup, nothing changed: {result.stderr[:300]}"
        )


def list_backups() -> list[BackupFile]:
    found = []
    for path in sorted(backup_dir().glob(f"*{SUFFIX}")):
        try:
            header = read_header(path)
        except BackupRefused:
            continue
        found.append(
            BackupFile(
                path,
                datetime.fromisoformat(header["created"]),
                header["engine"],
                path.stat().st_size,
            )
        )
    return found


def prune_backups(*, older_than: datetime) -> list[Path]:
    removed = []
    for backup in list_backups():
        if backup.created < older_than:
            backup.path.unlink()
            removed.append(backup.path)
    return removed
