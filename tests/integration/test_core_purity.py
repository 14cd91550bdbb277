"""The core imports no technology: no storage, cryptography or adapter modules."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("eventsourcing", "cryptography", "psycopg", "sqlite3", "untoc_adapters")


def test_importing_the_whole_core_loads_no_technology() -> None:
    script = (
        "import json, sys, pkgutil, importlib, untoc_core\n"
        "for m in pkgutil.walk_packages(untoc_core.__path__, 'untoc_core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(json.dumps(bad))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
