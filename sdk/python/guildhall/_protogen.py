"""Runs protoc on guildhall/proto/guildhall.proto into guildhall/_generated/.

Used by _proto.py when imported from the source tree and by setup.py when building, so nothing generated is
committed. Standard library only: setup.py loads this file on its own, before the package can be imported.
Concurrent callers (two test processes) are safe: each generates into a temporary folder and renames the result
into place atomically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PROTO_NAME = "guildhall.proto"
MODULE_NAME = "guildhall_pb2.py"


class ProtocMissing(ImportError):
    """protoc is needed to build the protobuf classes and is not installed."""


def paths(package_dir: Path) -> tuple[Path, Path]:
    """(the .proto, the generated module) for the package folder `package_dir`."""
    return package_dir / "proto" / PROTO_NAME, package_dir / "_generated" / MODULE_NAME


def is_stale(package_dir: Path) -> bool:
    """True when the generated module is missing or older than the .proto (when the .proto is there)."""
    proto, module = paths(package_dir)
    if not module.exists():
        return True
    return proto.exists() and proto.stat().st_mtime > module.stat().st_mtime


def generate_if_stale(package_dir: Path) -> None:
    """Generates guildhall/_generated/guildhall_pb2.py when stale. Raises ProtocMissing without protoc (naming the
    Debian package), FileNotFoundError without the .proto, RuntimeError when protoc fails."""
    if not is_stale(package_dir):
        return
    proto, module = paths(package_dir)
    if not proto.exists():
        raise FileNotFoundError(f"{proto} is missing: the protocol definition is needed to generate the classes")
    protoc = shutil.which("protoc")
    if protoc is None:
        raise ProtocMissing(
            "guildhall needs protoc to generate its protobuf classes from guildhall.proto: "
            "install it (Debian/Ubuntu: sudo apt-get install protobuf-compiler), or install the SDK with pip, "
            "whose build step generates them once")
    out_dir = module.parent
    out_dir.mkdir(exist_ok=True)
    (out_dir / "__init__.py").touch(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        source = Path(scratch) / PROTO_NAME
        shutil.copyfile(proto, source)  # through the symlink: protoc then names the file plainly
        done = subprocess.run([protoc, f"--proto_path={scratch}", f"--python_out={scratch}", str(source)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"protoc failed on {proto}: {done.stderr.strip()}")
        os.replace(Path(scratch) / MODULE_NAME, module)
