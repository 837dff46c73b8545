"""Build hook: generate the protobuf classes before setuptools collects the packages, so an installed guildhall
needs no protoc. The metadata lives in pyproject.toml."""

import importlib.util
from pathlib import Path

from setuptools import setup

_PACKAGE_DIR = Path(__file__).resolve().parent / "guildhall"
# Loaded by path: importing the guildhall package would need the very classes this generates.
_spec = importlib.util.spec_from_file_location("_guildhall_protogen", _PACKAGE_DIR / "_protogen.py")
assert _spec is not None and _spec.loader is not None
_protogen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_protogen)

_protogen.generate_if_stale(_PACKAGE_DIR)
setup()
