"""Settings: where the data lives and which adapters to use.

Read from, in order of precedence: explicit arguments (the CLI's ``--data-dir``),
environment variables (``UNTOC_DATA_DIR``, ``UNTOC_STORE``, ``UNTOC_STORE_URL``,
``UNTOC_KEY_SERVICE``, ``UNTOC_PRINCIPAL``), an
optional ``untoc.toml`` in the working directory, and the defaults (the ``sqlite``
store in ``./untoc-data``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from untoc_core.errors import ConfigurationError

DEFAULT_DATA_DIR = Path("untoc-data")
DEFAULT_STORE = "sqlite"
DEFAULT_KEY_SERVICE = "localkeys"
DEFAULT_PRINCIPAL = "secretariat"
CONFIG_FILE = "untoc.toml"
_KEYS = {"data_dir", "store", "store_url", "key_service", "principal"}


@attrs.frozen(kw_only=True)
class Settings:
    """Resolved settings.

    Attributes:
        data_dir: The folder for every file of the embedded default.
        store: The event store adapter's entry-point name (``sqlite``, ``postgres``,
            ``memory``).
        store_url: Where the store is: a SQLite path or a ``postgresql://`` URL.
            Empty means the adapter's default (``DATA_DIR/events.sqlite3``).
        key_service: The key service's entry-point name (``localkeys``,
            ``pkcs11``).
        principal: The principal commands act as when ``--as`` is not given.
    """

    data_dir: Path = DEFAULT_DATA_DIR
    store: str = DEFAULT_STORE
    store_url: str = ""
    key_service: str = DEFAULT_KEY_SERVICE
    principal: str = DEFAULT_PRINCIPAL

    @classmethod
    def load(
        cls,
        *,
        data_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Settings:
        """Resolve settings from the option, the environment and ``untoc.toml``."""
        env = os.environ if environ is None else environ
        folder = cwd or Path.cwd()
        file_values = _read_config(folder / CONFIG_FILE)
        chosen_dir = (
            data_dir
            or _path(env.get("UNTOC_DATA_DIR"))
            or _path(file_values.get("data_dir"), base=folder)
            or folder / DEFAULT_DATA_DIR
        )
        return cls(
            data_dir=chosen_dir,
            store=env.get("UNTOC_STORE")
            or str(file_values.get("store") or DEFAULT_STORE),
            store_url=env.get("UNTOC_STORE_URL")
            or str(file_values.get("store_url") or ""),
            key_service=env.get("UNTOC_KEY_SERVICE")
            or str(file_values.get("key_service") or DEFAULT_KEY_SERVICE),
            principal=env.get("UNTOC_PRINCIPAL")
            or str(file_values.get("principal") or DEFAULT_PRINCIPAL),
        )


def _path(value: object, base: Path | None = None) -> Path | None:
    if not value:
        return None
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() or base is None else base / path


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path}: not valid TOML: {exc}"
        raise ConfigurationError(msg) from exc
    section = data.get("untoc", data)
    if not isinstance(section, dict):
        msg = f"{path}: expected an [untoc] table"
        raise ConfigurationError(msg)
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        msg = f"{path}: unknown setting(s) {', '.join(unknown)}; known: {known}"
        raise ConfigurationError(msg)
    return section
