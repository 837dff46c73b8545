"""ctest python.pip_install: `pip install --no-build-isolation --no-index ./sdk/python` into a fresh venv (with
Debian's site packages: protobuf) under the build folder, then import guildhall from outside the source tree with
no protoc on PATH: the installed package must carry its generated classes, their type stub and the .proto.

    /usr/bin/python3 sdk/python/tests/pip_install_check.py BUILD_DIR
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SDK_DIR = Path(__file__).resolve().parent.parent

CHECK = """
import pathlib, sys
import guildhall
from guildhall._proto import pb
from guildhall.transport import websocket, tcp
where = pathlib.Path(guildhall.__file__).resolve()
assert "site-packages" in where.parts, where
assert (where.parent / "py.typed").exists() and (where.parent / "proto" / "guildhall.proto").exists()
assert (where.parent / "_generated" / "guildhall_pb2.pyi").exists()  # the protocol classes' type stub
assert pb.Envelope.FromString(pb.Envelope(cid=7).SerializeToString()).cid == 7
assert guildhall.parse_server_url("tcp://h:1").kind == "tcp"
print("installed", guildhall.__version__, "at", where.parent)
"""


def main() -> int:
    build_dir = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()).resolve()
    venv = build_dir / "python-venv"
    shutil.rmtree(venv, ignore_errors=True)
    # Without its own pip (ensurepip is the slow part): Debian's pip, seen through the system site packages,
    # installs into the venv it runs in.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-index",
                    str(SDK_DIR)], check=True)
    with tempfile.TemporaryDirectory() as outside:
        # No protoc: PATH holds nothing; no source tree: PYTHONPATH unset, cwd elsewhere.
        env = {"PATH": "/nonexistent", "HOME": outside}
        done = subprocess.run([str(python), "-c", CHECK], cwd=outside, env=env, capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
