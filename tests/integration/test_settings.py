"""Settings precedence: option, UNTOC_DATA_DIR, untoc.toml, then ./untoc-data."""

from __future__ import annotations

from pathlib import Path

import pytest

from untoc_adapters.settings import Settings
from untoc_core.errors import ConfigurationError


def test_the_option_wins_over_everything(tmp_path: Path) -> None:
    (tmp_path / "untoc.toml").write_text('data_dir = "from-file"\n', encoding="utf-8")
    settings = Settings.load(
        data_dir=tmp_path / "opt", environ={"UNTOC_DATA_DIR": "/env"}, cwd=tmp_path
    )
    assert settings.data_dir == tmp_path / "opt"


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / "untoc.toml").write_text('data_dir = "from-file"\n', encoding="utf-8")
    settings = Settings.load(environ={"UNTOC_DATA_DIR": "/env"}, cwd=tmp_path)
    assert settings.data_dir == Path("/env")


def test_the_file_is_read_relative_to_its_folder(tmp_path: Path) -> None:
    (tmp_path / "untoc.toml").write_text(
        '[untoc]\ndata_dir = "from-file"\nstore = "postgres"\n'
        'store_url = "postgresql://u@h/db"\n',
        encoding="utf-8",
    )
    settings = Settings.load(environ={}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "from-file"
    assert settings.store == "postgres"
    assert settings.store_url == "postgresql://u@h/db"


def test_the_default_is_untoc_data_with_sqlite(tmp_path: Path) -> None:
    settings = Settings.load(environ={}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "untoc-data"
    assert settings.store == "sqlite"


def test_an_unknown_key_in_the_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "untoc.toml").write_text('datadir = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="unknown setting"):
        Settings.load(environ={}, cwd=tmp_path)


def test_a_broken_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "untoc.toml").write_text("data_dir = \n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        Settings.load(environ={}, cwd=tmp_path)


def test_key_service_and_principal_come_from_environment_then_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "untoc.toml").write_text(
        'key_service = "pkcs11"\nprincipal = "ARC"\n', encoding="utf-8"
    )
    from_file = Settings.load(environ={}, cwd=tmp_path)
    assert (from_file.key_service, from_file.principal) == ("pkcs11", "ARC")
    from_env = Settings.load(
        environ={"UNTOC_KEY_SERVICE": "localkeys", "UNTOC_PRINCIPAL": "BRD"},
        cwd=tmp_path,
    )
    assert (from_env.key_service, from_env.principal) == ("localkeys", "BRD")
    default = Settings.load(environ={}, cwd=tmp_path / "elsewhere")
    assert (default.key_service, default.principal) == ("localkeys", "secretariat")
