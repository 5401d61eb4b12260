"""Make the disk fail for real under a running store: a file-size limit, a full disk, a read-only folder.

Three mechanisms, each a real refusal by the kernel (no patched functions):

- `limit_file_size(pid)`: RLIMIT_FSIZE of 0 on the server process (prlimit(2)); every write that
  would grow a file fails with EFBIG ("File too large"), as a full disk fails with ENOSPC. Works
  for any user on Linux, so it is the one every test run can use.
- `tiny_disk(folder)` + `fill(folder)`: a small tmpfs mounted on the data folder, then filled up:
  ENOSPC. Needs root (or CAP_SYS_ADMIN); `can_mount()` says whether it is possible here.
- `mount_read_only(folder)`: a read-only bind mount over a folder: EROFS for every new file and every
  file opened for writing. Also needs mount rights. (chmod is no test when the tests run as root,
  whom permissions do not stop.)
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

FILLER = "filler.bin"


def limit_file_size(pid: int, max_bytes: int = 0) -> Callable[[], None]:
    """Limit how large a process may make any file (it ignores SIGXFSZ, so writes fail with EFBIG); return the undo."""
    soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (max_bytes, hard))

    def undo() -> None:
        try:
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))
        except ProcessLookupError:
            pass

    return undo


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True, timeout=10)


def _unmount(folder: Path) -> None:
    # Lazy: a server that still holds the journal open must not keep the mount (or the test) hanging.
    subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True, timeout=10)


def can_mount() -> bool:
    """Tell whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, mount(8) present)."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    with tempfile.TemporaryDirectory(prefix="rd-mount-check-") as folder:
        try:
            _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", folder)
        except (OSError, subprocess.SubprocessError):
            return False
        _unmount(Path(folder))
    return True


@contextlib.contextmanager
def tiny_disk(folder: Path, size_kb: int = 512) -> Iterator[Path]:
    """Mount a tmpfs of `size_kb` on an (empty) folder for the duration."""
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        _unmount(folder)


def fill(folder: Path) -> int:
    """Write a filler file until the file system is full; return how many bytes it took."""
    written = 0
    chunk = b"\0" * 4096
    fd = os.open(folder / FILLER, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while True:
            try:
                written += os.write(fd, chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
        # Small writes may still fit in the last partly used page: fill that too.
        while True:
            try:
                if os.write(fd, b"\0") == 0:
                    break
                written += 1
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    finally:
        os.close(fd)
    return written


def unfill(folder: Path) -> None:
    """Remove the filler file: the disk has room again."""
    (folder / FILLER).unlink()


def mount_read_only(folder: Path) -> Callable[[], None]:
    """Make a folder read-only with a read-only bind mount over it; return the undo (safe to call twice)."""
    _mount("--bind", str(folder), str(folder))
    mounted = [True]

    def undo() -> None:
        if mounted.pop() if mounted else False:
            _unmount(folder)

    try:
        _mount("-o", "remount,bind,ro", str(folder))
    except BaseException:
        undo()
        raise
    return undo
