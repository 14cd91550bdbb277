"""A fresh SoftHSM2 token per test, for the PKCS#11 tests.

``.ci/run`` installs SoftHSM2 and python-pkcs11 (``bash .ci/softhsm``). Without
them a test is skipped with the reason, except in CI, where it fails: CI must run
the PKCS#11 tests.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "untoc-test"  # noqa: S105 - a token label, not a secret
SO_PIN = "so-4417-2093"
PIN = "pin-8a41c9-secret"


def missing() -> list[str]:
    """What the PKCS#11 tests need and this machine lacks."""
    lacking = []
    if not Path(MODULE).exists():
        lacking.append(f"the SoftHSM2 module {MODULE}")
    if shutil.which("softhsm2-util") is None:
        lacking.append("softhsm2-util")
    if importlib.util.find_spec("pkcs11") is None:
        lacking.append("python-pkcs11")
    return lacking


def require_softhsm() -> None:
    """Skip (or, in CI, fail) the test when SoftHSM2 or python-pkcs11 is missing."""
    lacking = missing()
    if not lacking:
        return
    what = " and ".join(lacking)
    if os.environ.get("CI"):
        pytest.fail(
            f"CI must run the PKCS#11 tests, but {what} is missing: "
            "run bash .ci/softhsm before the tests",
            pytrace=False,
        )
    pytest.skip(f"{what} missing; install with: bash .ci/softhsm")


def init_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, ModuleType]:
    """Make a token under ``tmp_path`` for this test; return its config and pkcs11.

    python-pkcs11 is unloaded, so the next ``C_Initialize`` reads this test's
    ``SOFTHSM2_CONF``; unload it again (``p11.unload(MODULE)``) after the test.
    """
    require_softhsm()
    tokens = tmp_path / "tokens"
    tokens.mkdir(mode=0o700)
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    util = shutil.which("softhsm2-util")
    assert util is not None
    subprocess.run(  # noqa: S603 - fixed arguments
        [util, "--init-token", "--free", "--label", TOKEN, "--so-pin", SO_PIN,
         "--pin", PIN],
        check=True,
        capture_output=True,
    )  # fmt: skip
    p11 = importlib.import_module("pkcs11")
    p11.unload(MODULE)
    return conf, p11
