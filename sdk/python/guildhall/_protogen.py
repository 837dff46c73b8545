"""Runs protoc on guildhall/proto/guildhall.proto into guildhall/_generated/: the module and its type stub.

Used by _proto.py when imported from the source tree and by setup.py when building, so nothing generated is
committed. Standard library only: setup.py loads this file on its own, before the package can be imported.
The stub (guildhall_pb2.pyi, protoc's --pyi_out) is what type checkers read for the protocol classes; the
module has none of the classes' fields spelled out.
Concurrent callers (two test processes) are safe: each generates into a temporary folder and renames the results
into place atomically, the stub first, so that a fresh module always has its fresh stub beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PROTO_NAME = "guildhall.proto"
MODULE_NAME = "guildhall_pb2.py"
STUB_NAME = "guildhall_pb2.pyi"


class ProtocMissing(ImportError):
    """protoc is needed to build the protobuf classes and is not installed."""


def paths(package_dir: Path) -> tuple[Path, Path]:
    """(the .proto, the generated module) for the package folder `package_dir`."""
    return package_dir / "proto" / PROTO_NAME, package_dir / "_generated" / MODULE_NAME


def stub_path(package_dir: Path) -> Path:
    """The generated module's type stub for the package folder `package_dir`."""
    return package_dir / "_generated" / STUB_NAME


def is_stale(package_dir: Path) -> bool:
    """True when the generated module or its stub is missing, or either is older than the .proto (when the .proto
    is there). A tree generated before the stubs were (module only) is therefore regenerated once."""
    proto, module = paths(package_dir)
    stub = stub_path(package_dir)
    if not module.exists() or not stub.exists():
        return True
    if not proto.exists():
        return False
    proto_mtime = proto.stat().st_mtime
    return proto_mtime > module.stat().st_mtime or proto_mtime > stub.stat().st_mtime


def generate_if_stale(package_dir: Path) -> None:
    """Generates guildhall/_generated/guildhall_pb2.py and .pyi when stale. Raises ProtocMissing without protoc (naming the
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
        done = subprocess.run([protoc, f"--proto_path={scratch}", f"--python_out={scratch}",
                               f"--pyi_out={scratch}", str(source)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"protoc failed on {proto}: {done.stderr.strip()}")
        os.replace(Path(scratch) / STUB_NAME, stub_path(package_dir))
        os.replace(Path(scratch) / MODULE_NAME, module)
