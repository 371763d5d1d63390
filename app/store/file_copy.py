"""Byte-for-byte file copy, run as a child process when the source is a live database (see app.store.backup).

Why a child: on POSIX, closing *any* descriptor of a file releases every ``fcntl`` lock the closing process
holds on it, SQLite's locks included (SQLite's "How To Corrupt An SQLite Database File", §2.2). A process
holding connections to a database must therefore never ``open()``/``close()`` that file itself; a child
process holds no SQLite lock, so its descriptors release nothing of ours.

Run as ``python -I -S file_copy.py SOURCE TARGET``: only the standard library, no package import (the
script is started by its path, in isolated mode, so nothing of the app or the environment is loaded).
``TARGET`` must exist (the parent creates it owner-only and locks it); it is truncated and written.
Exit 0 when every byte is copied; on error, exit 1 with ``<errno> <message>`` on stderr.
"""

from __future__ import annotations

import os
import sys

COPY_CHUNK = 32 << 20
"""Bytes copied at a time; writeback of each chunk starts as soon as it is copied."""


def copy_file(source: str, target: str, *, chunk: int = COPY_CHUNK, advise_dontneed: bool = True) -> int:
    """Copy ``source`` into the existing ``target`` in the kernel; return the bytes copied.

    With ``advise_dontneed``, writeback of each copied chunk starts at once (``posix_fadvise(DONTNEED)``:
    dirty pages are written, clean ones dropped), which the weekly import's benchmark showed to be faster.

    Raises:
        OSError: a file cannot be read or written, or the source ended early.
    """
    src = os.open(source, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        dst = os.open(target, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0))
        try:
            size = os.fstat(src).st_size
            offset = 0
            while offset < size:
                count = _copy_chunk(src, dst, offset, min(chunk, size - offset))
                if count <= 0:
                    raise OSError(0, f"{source} ended at {offset} bytes, {size} expected")
                if advise_dontneed and hasattr(os, "posix_fadvise"):
                    os.posix_fadvise(dst, offset, count, os.POSIX_FADV_DONTNEED)
                offset += count
            return offset
        finally:
            os.close(dst)
    finally:
        os.close(src)


def _copy_chunk(src: int, dst: int, offset: int, count: int) -> int:
    if hasattr(os, "copy_file_range"):
        try:
            return os.copy_file_range(src, dst, count, offset, offset)
        except OSError as error:
            import errno

            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    if hasattr(os, "pread"):
        return os.pwrite(dst, os.pread(src, count, offset), offset)
    os.lseek(src, offset, os.SEEK_SET)
    os.lseek(dst, offset, os.SEEK_SET)
    return os.write(dst, os.read(src, count))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.stderr.write("0 usage: file_copy.py SOURCE TARGET\n")
        return 2
    try:
        copy_file(argv[1], argv[2])
    except OSError as error:
        sys.stderr.write(f"{error.errno or 0} {error.strerror or error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
