"""ctest python.types: `mypy --strict` over the guildhall package, with the settings in sdk/python/pyproject.toml.

The protocol classes are typed by the stub that protoc generates beside them (guildhall/_generated/
guildhall_pb2.pyi), so this generates them first when missing or stale, as an import from the source tree would.
mypy's cache goes to CACHE_DIR (a build folder), not into the source tree. Exit code: mypy's (0: no errors).

    /usr/bin/python3 sdk/python/tests/type_check.py [CACHE_DIR]
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

SDK_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = SDK_DIR / "guildhall"


def generate_protocol_classes() -> None:
    """Runs guildhall/_protogen.py loaded by path, as setup.py does: importing guildhall would do it too, but would
    also run the package's import-time code, which has no business in a type check."""
    spec = importlib.util.spec_from_file_location("_guildhall_protogen", PACKAGE_DIR / "_protogen.py")
    assert spec is not None and spec.loader is not None
    protogen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(protogen)
    protogen.generate_if_stale(PACKAGE_DIR)


def main() -> int:
    cache_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "mypy-cache"
    generate_protocol_classes()
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--config-file", str(SDK_DIR / "pyproject.toml"),
                           "--cache-dir", str(cache_dir), "guildhall"], cwd=SDK_DIR, check=False)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
