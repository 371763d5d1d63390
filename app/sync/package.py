"""The ``.crsync`` file: a self-describing header and an encrypted, compressed payload in chunks.

Layout (all integers big-endian)::

    MAGIC            8 bytes   b"CRSYNC\\r\\n"   (the CR LF catches text-mode copies)
    header length    4 bytes   n ≤ MAX_HEADER_BYTES
    header           n bytes   UTF-8 JSON, see :class:`Header`
    header tag      28 bytes   12-byte nonce + AES-GCM tag over MAGIC + length + header (empty plaintext)
    chunks                     each: 4-byte length m, then m bytes = 12-byte nonce + AES-GCM ciphertext

The header travels in clear (so a refusal can name the center, the device and the versions before any
key is tried) but is authenticated: changing one byte of it breaks the header tag. The header holds the
SHA-256 and the length of everything after the tag, so a truncated or altered payload is detected before
anything is decrypted. Each chunk is also authenticated on its own, with the package id, its index and
a last-chunk flag as associated data, so chunks cannot be dropped, reordered or spliced from another file.

Keys: sync packages use the center key (32 random bytes every device of the center shares); join
packages use a key derived from a passphrase with scrypt (random salt, bounded cost, stored in the header).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.sync.errors import PackageRefused

MAGIC = b"CRSYNC\r\n"
FORMAT_VERSION = 1
"""The format this code writes."""
READER_VERSION = 1
"""The highest ``min_reader`` this code can read."""
MAX_HEADER_BYTES = 1 << 20
MAX_CHUNK_BYTES = 64 << 20
MAX_PACKAGE_BYTES = 2 << 30
"""Files above this size are refused before anything is read (2 GiB)."""
MAX_CHUNK_PLAIN_BYTES = 256 << 20
"""A chunk never inflates beyond this (guards against decompression bombs)."""
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SCRYPT_N = 1 << 17
"""scrypt cost for join packages: about 0.4 s and 128 MiB on a laptop."""
SCRYPT_MAX_N = 1 << 20
"""Readers refuse a higher cost (it would take minutes and gigabytes)."""
KIND_SYNC = "sync"
KIND_JOIN = "join"


@dataclass
class Header:
    """What a package says about itself (the JSON header).

    Attributes:
        kind: ``"sync"`` (everyday package, center key) or ``"join"`` (new device, passphrase).
        format: the format version it was written in.
        min_reader: the lowest reader version that can read it.
        app_version: the CareRounds version that wrote it.
        schema: the database schema revision (Alembic) of the writer.
        center_id, center_name: the center it belongs to.
        source_device, source_name: the device that wrote it.
        package_id: a new UUID per file; importing the same id twice changes nothing.
        created_at: wall time of writing, ISO 8601 UTC (for people).
        clock_from, clock_to: the lowest and highest ``updated_at`` of the rows inside.
        export_clock: the writer's clock when it wrote the file.
        full: whether it carries every row (else only what recipients had not acknowledged).
        since: the per-device thresholds used (None when full).
        knowledge: the writer's knowledge vector — doubles as its acknowledgement of what it received.
        devices: names of the devices the writer knows, ``{device id: name}``.
        counts: rows per table.
        payload_sha256, payload_bytes, chunks: the payload after the header tag.
        compression: ``"zlib"``.
        kdf: for join packages, ``{"name": "scrypt", "n", "r", "p", "salt"}`` (salt in hex).
        key_check: for join packages, tells a wrong passphrase apart from a changed file.
        extra: room for later fields; unknown keys of a newer writer land here.
    """

    kind: str
    schema: str
    center_id: str
    source_device: str
    package_id: str
    app_version: str = ""
    center_name: str = ""
    source_name: str = ""
    format: int = FORMAT_VERSION
    min_reader: int = 1
    created_at: str = ""
    clock_from: str = ""
    clock_to: str = ""
    export_clock: str = ""
    full: bool = True
    since: dict[str, str] | None = None
    knowledge: dict[str, str] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    payload_sha256: str = ""
    payload_bytes: int = 0
    chunks: int = 0
    compression: str = "zlib"
    kdf: dict[str, Any] | None = None
    key_check: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Header:
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("extra", {})
        values["extra"] = {**values["extra"], **{k: v for k, v in data.items() if k not in known}}
        return cls(**values)


# --- keys -------------------------------------------------------------------------------------------------


def new_center_key() -> bytes:
    """Return a new random 256-bit center key."""
    return AESGCM.generate_key(bit_length=256)


def new_salt() -> bytes:
    return os.urandom(16)


def passphrase_key(passphrase: str, kdf: dict[str, Any], *, path: Path | str = "") -> bytes:
    """Derive the 256-bit key of a join package from ``passphrase`` with the header's scrypt parameters.

    Raises:
        PackageRefused: the parameters are not ones this version accepts (a damaged or forged header).
    """
    try:
        n, r, p, salt = int(kdf["n"]), int(kdf["r"]), int(kdf["p"]), bytes.fromhex(kdf["salt"])
    except (KeyError, TypeError, ValueError):
        raise PackageRefused("sync.damaged", path=path) from None
    if kdf.get("name") != "scrypt" or not (2 <= n <= SCRYPT_MAX_N) or n & (n - 1) or r > 16 or p > 4 or len(salt) < 8:
        raise PackageRefused("sync.damaged", path=path)
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def scrypt_parameters(n: int = SCRYPT_N) -> dict[str, Any]:
    return {"name": "scrypt", "n": n, "r": 8, "p": 1, "salt": new_salt().hex()}


def key_check(key: bytes) -> str:
    """A value that tells whether ``key`` is the right one without revealing it."""
    return hmac.new(key, b"carerounds key check", hashlib.sha256).hexdigest()[:32]


# --- writing ----------------------------------------------------------------------------------------------


def _chunk_aad(package_id: str, index: int, last: bool) -> bytes:
    return package_id.encode("ascii") + struct.pack(">I?", index, last)


def _header_aad(header_bytes: bytes) -> bytes:
    return MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes


class PayloadWriter:
    """Collect the payload of a package: compress and encrypt each chunk as it comes.

    Args:
        key: the 256-bit key.
        package_id: the package's id (bound into every chunk).
        level: zlib level; 1 is several times faster than 6 and compresses rows almost as well.
    """

    def __init__(self, key: bytes, package_id: str, *, level: int = 1) -> None:
        self._aead = AESGCM(key)
        self._package_id = package_id
        self._level = level
        self._pending: bytes | None = None
        self._sealed: list[bytes] = []

    def add(self, plain: bytes) -> None:
        """Add one chunk of plain bytes (at most :data:`MAX_CHUNK_PLAIN_BYTES`)."""
        if len(plain) > MAX_CHUNK_PLAIN_BYTES:
            raise ValueError("chunk too large")
        if self._pending is not None:
            self._seal(self._pending, last=False)
        self._pending = zlib.compress(plain, self._level)

    def add_json(self, value: Any) -> None:
        self.add(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def _seal(self, compressed: bytes, *, last: bool) -> None:
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, compressed, _chunk_aad(self._package_id, len(self._sealed), last))
        if len(sealed) > MAX_CHUNK_BYTES:
            raise ValueError("chunk too large after compression")
        self._sealed.append(struct.pack(">I", len(sealed)) + sealed)

    def finish(self) -> list[bytes]:
        """Seal the last chunk and return the payload pieces (length-prefixed chunks)."""
        if self._pending is None:
            self._pending = zlib.compress(b"", self._level)
        self._seal(self._pending, last=True)
        self._pending = None
        return self._sealed


def write_package(path: Path, header: Header, key: bytes, payload: list[bytes]) -> int:
    """Write header and payload to ``path`` atomically (temporary file, fsync, rename).

    Fills in the header's payload checksum, size and chunk count.

    Returns:
        The size of the file in bytes.
    """
    digest = hashlib.sha256()
    for piece in payload:
        digest.update(piece)
    header.payload_sha256 = digest.hexdigest()
    header.payload_bytes = sum(len(piece) for piece in payload)
    header.chunks = len(payload)
    header_bytes = header.to_bytes()
    nonce = os.urandom(NONCE_BYTES)
    tag = AESGCM(key).encrypt(nonce, b"", _header_aad(header_bytes))
    path.parent.mkdir(parents=True, exist_ok=True)
    # a new file of our own (never a name someone else prepared), created 0600: packages are health data
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as error:  # a read-only folder: the error names the temporary file, never chosen by the user
        raise _naming(error, path) from error
    partial = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes + nonce + tag)
            for piece in payload:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.filename is not None and Path(os.fsdecode(error.filename)) == partial:
            raise _naming(error, path) from error
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return len(MAGIC) + 4 + len(header_bytes) + NONCE_BYTES + TAG_BYTES + header.payload_bytes


def _naming(error: OSError, path: Path) -> OSError:
    """The same error (same class, errno and reason) about ``path``, the file the user asked for."""
    renamed = type(error)(error.errno, error.strerror, str(path))
    return renamed if isinstance(renamed, OSError) else OSError(error.errno, error.strerror, str(path))


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; folders cannot be opened on Windows)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- reading ----------------------------------------------------------------------------------------------


@dataclass
class OpenedPackage:
    """A package whose header was read (not yet authenticated).

    Attributes:
        path: the file.
        header: the parsed header.
        header_bytes: the header as written (what the tag covers).
        tag: nonce and tag of the header.
        payload_offset: where the chunks start.
        size: the file size.
    """

    path: Path
    header: Header
    header_bytes: bytes
    tag: bytes
    payload_offset: int
    size: int


def open_package(path: Path, *, max_bytes: int = MAX_PACKAGE_BYTES) -> OpenedPackage:
    """Read and parse the header of the package at ``path``; check size, magic and format version.

    Raises:
        PackageRefused: too large, not a package, truncated, damaged header, or a newer format.
        OSError: the file cannot be read.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise PackageRefused("sync.too_large", path=path, size=size >> 20, limit=max_bytes >> 20)
    with open(path, "rb") as handle:
        start = handle.read(len(MAGIC) + 4)
        if start[: len(MAGIC)] != MAGIC[: len(start)] or not start:
            raise PackageRefused("sync.not_a_package", path=path)
        if len(start) < len(MAGIC) + 4:
            raise PackageRefused("sync.truncated", path=path)
        (length,) = struct.unpack(">I", start[len(MAGIC) :])
        if length > MAX_HEADER_BYTES:
            raise PackageRefused("sync.damaged", path=path)
        header_bytes = handle.read(length)
        tag = handle.read(NONCE_BYTES + TAG_BYTES)
    if len(header_bytes) < length or len(tag) < NONCE_BYTES + TAG_BYTES:
        raise PackageRefused("sync.truncated", path=path)
    try:
        data = json.loads(header_bytes.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("header is not an object")
        if int(data.get("min_reader", 1)) > READER_VERSION:
            raise PackageRefused("sync.newer_format", found=data.get("format"), known=READER_VERSION)
        header = Header.from_json(data)
    except PackageRefused:
        raise
    except (ValueError, TypeError):
        raise PackageRefused("sync.damaged", path=path) from None
    offset = len(MAGIC) + 4 + length + NONCE_BYTES + TAG_BYTES
    return OpenedPackage(path, header, header_bytes, tag, offset, size)


def authenticate(package: OpenedPackage, key: bytes) -> None:
    """Check the header tag with ``key``, then the payload's length and checksum.

    Raises:
        PackageRefused: the header or the payload was changed, or the file is cut short.
    """
    nonce, tag = package.tag[:NONCE_BYTES], package.tag[NONCE_BYTES:]
    try:
        AESGCM(key).decrypt(nonce, tag, _header_aad(package.header_bytes))
    except InvalidTag:
        raise PackageRefused("sync.damaged", path=package.path) from None
    expected = package.payload_offset + int(package.header.payload_bytes)
    if package.size < expected:
        raise PackageRefused("sync.truncated", path=package.path)
    if package.size > expected:
        raise PackageRefused("sync.damaged", path=package.path)
    digest = hashlib.sha256()
    with open(package.path, "rb") as handle:
        handle.seek(package.payload_offset)
        while block := handle.read(1 << 20):
            digest.update(block)
    if not hmac.compare_digest(digest.hexdigest(), str(package.header.payload_sha256)):
        raise PackageRefused("sync.damaged", path=package.path)


def iter_chunks(package: OpenedPackage, key: bytes) -> Iterator[bytes]:
    """Yield the payload's chunks decrypted and decompressed, in order.

    Call :func:`authenticate` first. Every chunk is checked again on its own.

    Raises:
        PackageRefused: a chunk is damaged, missing or out of place.
    """
    aead = AESGCM(key)
    package_id = package.header.package_id
    count = int(package.header.chunks)
    with open(package.path, "rb") as handle:
        handle.seek(package.payload_offset)
        for index in range(count):
            sealed = _read_chunk(handle, package.path)
            try:
                compressed = aead.decrypt(
                    sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _chunk_aad(package_id, index, index == count - 1)
                )
            except InvalidTag:
                raise PackageRefused("sync.damaged", path=package.path) from None
            yield _inflate(compressed, package.path)
        if handle.read(1):
            raise PackageRefused("sync.damaged", path=package.path)


def _read_chunk(handle: BinaryIO, path: Path) -> bytes:
    prefix = handle.read(4)
    if len(prefix) < 4:
        raise PackageRefused("sync.truncated", path=path)
    (length,) = struct.unpack(">I", prefix)
    if not NONCE_BYTES + TAG_BYTES <= length <= MAX_CHUNK_BYTES:
        raise PackageRefused("sync.damaged", path=path)
    sealed = handle.read(length)
    if len(sealed) < length:
        raise PackageRefused("sync.truncated", path=path)
    return sealed


def _inflate(compressed: bytes, path: Path) -> bytes:
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(compressed, MAX_CHUNK_PLAIN_BYTES)
    except zlib.error:
        raise PackageRefused("sync.damaged", path=path) from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise PackageRefused("sync.damaged", path=path)
    return plain


def read_json_chunks(package: OpenedPackage, key: bytes) -> Iterator[Any]:
    """Yield each chunk parsed as JSON.

    Raises:
        PackageRefused: a chunk is damaged or not JSON.
    """
    for plain in iter_chunks(package, key):
        if not plain:
            continue  # a package without rows has one empty chunk
        try:
            yield json.loads(plain)
        except ValueError:
            raise PackageRefused("sync.damaged", path=package.path) from None


def verify_written(path: Path, key: bytes, expected: Header) -> None:
    """Re-read a package just written and check every chunk decrypts and the header is what was meant.

    Raises:
        PackageRefused: the file does not read back as written ("sync.verify_failed").
    """
    try:
        package = open_package(path)
        authenticate(package, key)
        if package.header.package_id != expected.package_id or package.header.counts != expected.counts:
            raise PackageRefused("sync.verify_failed", path=path)
        for _ in iter_chunks(package, key):
            pass
    except PackageRefused:
        raise PackageRefused("sync.verify_failed", path=path) from None
    except OSError:
        raise PackageRefused("sync.verify_failed", path=path) from None
