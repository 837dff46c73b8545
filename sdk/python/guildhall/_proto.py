"""The protocol's classes (guildhall.v1), generated from guildhall.proto.

From the source tree the module is (re)generated on first import when missing or older than the .proto; an
installed package carries it ready. `pb` is the generated module: `pb.Envelope`, `pb.ChatMessage`, ...
"""

from __future__ import annotations

from pathlib import Path

from guildhall import _protogen

_PACKAGE_DIR = Path(__file__).resolve().parent

try:
    _protogen.generate_if_stale(_PACKAGE_DIR)
except _protogen.ProtocMissing:
    # An old generated module still works; only a missing one is fatal.
    if not _protogen.paths(_PACKAGE_DIR)[1].exists():
        raise

from guildhall._generated import guildhall_pb2 as pb  # noqa: E402

__all__ = ["pb"]
