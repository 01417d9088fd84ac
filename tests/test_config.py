"""[tool.seedlint] in pyproject.toml, validation, and command-line precedence."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from seedlint.config import (
    ConfigError,
    FileConfig,
    Overrides,
    build_settings,
    find_config_file,
    load_config,
    parse_codes,
    read_config_file,
)
from seedlint.integrations.cli import main
from seedlint.settings import Settings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


FULL = """\
    [project]
    name = "demo"

    [tool.seedlint]
    select = ["SDL1", "SDL0"]
    ignore = ["SDL104"]
    extend-select = ["SDL900"]
    exclude = ["generated"]
    extend-exclude = ["notebooks/*.py"]
    strict = true
    target-version = "py312"

    [tool.seedlint.per-file-ignores]
    "tests/*.py" = ["SDL101", "SDL103"]
    "__init__.py" = ["SDL1"]
"""


def test_every_key(tmp_path: Path) -> None:
    config = read_config_file(write(tmp_path / "pyproject.toml", FULL))
    assert config.root == tmp_path
    settings = build_settings(config)
    assert settings.select == ("SDL1", "SDL0")
    assert settings.ignore == ("SDL104",)
    assert settings.extend_select == ("SDL900",)
    assert settings.exclude == ("generated",)
    assert settings.extend_exclude == ("notebooks/*.py",)
    assert settings.strict is True
    assert settings.target_version == (3, 12)
    assert settings.per_file_ignores == (
        ("tests/*.py", ("SDL101", "SDL103")),
        ("__init__.py", ("SDL1",)),
    )
    assert not settings.is_enabled("SDL104")
    assert settings.is_enabled("SDL101")


def test_defaults_without_configuration() -> None:
    assert build_settings(FileConfig()) == Settings()


def test_nearest_pyproject_with_a_seedlint_table(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", "[tool.seedlint]\nstrict = true\n")
    write(tmp_path / "pkg" / "pyproject.toml", "[project]\nname = 'inner'\n")
    source = write(tmp_path / "pkg" / "sub" / "m.py", "x = 1\n")
    assert find_config_file(source) == outer
    assert find_config_file(source.parent) == outer
    assert load_config([str(source)]).strict is True
    nearer = write(tmp_path / "pkg" / "pyproject.toml", "[tool.seedlint]\nstrict = false\n")
    assert find_config_file(source) == nearer


def test_pyproject_without_table_is_not_a_configuration(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    found = find_config_file(tmp_path)
    assert found is None or tmp_path not in found.parents
    assert load_config([str(tmp_path)]).path == found


def test_cwd_is_the_default_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write(tmp_path / "pyproject.toml", "[tool.seedlint]\n")
    monkeypatch.chdir(tmp_path)
    assert find_config_file() == config
    assert load_config([]).path == config


def bad(tmp_path: Path, body: str) -> ConfigError:
    path = write(tmp_path / "pyproject.toml", "[tool.seedlint]\n" + textwrap.dedent(body))
    with pytest.raises(ConfigError) as info:
        read_config_file(path)
    assert str(path) in str(info.value)
    return info.value


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ('selct = ["SDL1"]\n', "selct", "did you mean 'select'"),
        ('extend_select = ["SDL1"]\n', "extend_select", "did you mean 'extend-select'"),
        ('select = "SDL1"\n', "select", "array of strings"),
        ("select = [1]\n", "select", "array of strings"),
        ('select = ["E501"]\n', "select", "'E501' is not a seedlint rule code"),
        ('ignore = ["sdl101"]\n', "ignore", "upper case"),
        ('extend-select = ["SDL1234"]\n', "extend-select", "SDL1234"),
        ('exclude = "build"\n', "exclude", "array of strings"),
        ('extend-exclude = [""]\n', "extend-exclude", "empty"),
        ('strict = "yes"\n', "strict", "true or false"),
        ('target-version = "py39"\n', "target-version", "'py310'"),
        ("target-version = 3.12\n", "target-version", "a float"),
        ('per-file-ignores = ["x"]\n', "per-file-ignores", "table"),
        (
            '[tool.seedlint.per-file-ignores]\n"tests/*" = "SDL1"\n',
            'per-file-ignores."tests/*"',
            "array",
        ),
        (
            '[tool.seedlint.per-file-ignores]\n"tests/*" = ["F401"]\n',
            'per-file-ignores."tests/*"',
            "F401",
        ),
    ],
)
def test_validation_names_file_and_key(tmp_path: Path, body: str, key: str, words: str) -> None:
    error = bad(tmp_path, body)
    assert error.key == key
    assert f"[tool.seedlint] {key}:" in str(error)
    assert words in str(error)
    assert "\n" not in str(error)


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.seedlint\nselect = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        read_config_file(path)


def test_explicit_config_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config([], tmp_path / "nope.toml")


def test_cli_option_codes_are_validated() -> None:
    assert parse_codes(["SDL101,SDL103", " SDL0 "], "--select") == ("SDL101", "SDL103", "SDL0")
    with pytest.raises(ConfigError, match=r"^--ignore: 'E501'"):
        parse_codes(["E501"], "--ignore")


# --- precedence ------------------------------------------------------------------------------


def layered(file: FileConfig, **cli: object) -> Settings:
    return build_settings(file, Overrides(**cli))  # type: ignore[arg-type]


def test_cli_select_starts_afresh() -> None:
    file = FileConfig(select=("SDL1",), extend_select=("SDL0",), ignore=("SDL101",))
    settings = layered(file, select=("SDL101",))
    assert settings.is_enabled("SDL101")
    assert not settings.is_enabled("SDL103")
    assert not settings.is_enabled("SDL001")


def test_cli_extend_select_adds_and_beats_a_file_ignore() -> None:
    file = FileConfig(select=("SDL1",), ignore=("SDL103",))
    settings = layered(file, extend_select=("SDL1", "SDL900"))
    assert settings.is_enabled("SDL103")
    assert settings.is_enabled("SDL900")
    assert settings.is_enabled("SDL101")


def test_cli_ignore_adds_to_the_file_ignore_and_beats_a_file_select() -> None:
    # A more specific file select loses to a command-line ignore that covers it.
    settings = layered(FileConfig(select=("SDL101", "SDL103")), ignore=("SDL1",))
    assert not settings.is_enabled("SDL101")
    assert not settings.is_enabled("SDL103")
    # The file's own ignore still applies.
    file = FileConfig(select=("SDL1",), ignore=("SDL104",))
    settings = layered(file, ignore=("SDL103",))
    assert settings.is_enabled("SDL101")
    assert not settings.is_enabled("SDL103")
    assert not settings.is_enabled("SDL104")


def test_within_the_command_line_the_most_specific_wins() -> None:
    settings = layered(FileConfig(), select=("SDL1",), ignore=("SDL103",))
    assert settings.is_enabled("SDL101") and not settings.is_enabled("SDL103")


def test_other_overrides() -> None:
    file = FileConfig(exclude=("a",), extend_exclude=("b",), strict=True, target_version=(3, 10))
    settings = layered(
        file, exclude=("c",), extend_exclude=("d",), strict=False, target_version=(3, 13)
    )
    assert settings.exclude == ("c",)
    assert settings.extend_exclude == ("b", "d")
    assert settings.strict is False
    assert settings.target_version == (3, 13)
    assert layered(file).exclude == ("a",)
    assert layered(file).strict is True


def test_empty_select_in_the_file_selects_nothing() -> None:
    settings = build_settings(FileConfig(select=()))
    assert not settings.is_enabled("SDL101")


# --- through the command line ----------------------------------------------------------------

PROGRAM = "import random\nx = random.random()\n"


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def codes_in(out: str) -> set[str]:
    return {line.split()[1] for line in out.splitlines() if line.count(":") >= 3}


def test_cli_config_error_exits_2_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "pyproject.toml", "[tool.seedlint]\nstrict = 1\n")
    write(tmp_path / "m.py", PROGRAM)
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(["check", "m.py"], capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("seedlint: error: ")
    assert str(config) in err and "[tool.seedlint] strict" in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_cli_bad_option_code_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = cli(["check", "--select", "F401", "."], capsys)
    assert status == 2
    assert "--select" in err and "F401" in err


def test_cli_overrides_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.seedlint]\nselect = ["SDL1"]\nignore = ["SDL103"]\n')
    write(tmp_path / "m.py", PROGRAM)
    monkeypatch.chdir(tmp_path)

    status, out, _ = cli(["m.py"], capsys)
    assert (status, out.strip()) == (0, "All checks passed!")

    status, out, _ = cli(["m.py", "--extend-select", "SDL103"], capsys)
    assert status == 1 and codes_in(out) == {"SDL103"}

    status, out, _ = cli(["m.py", "--select", "SDL0,SDL103"], capsys)
    assert status == 1 and "SDL103" in codes_in(out)

    status, out, _ = cli(["m.py", "--select", "SDL1", "--ignore", "SDL103"], capsys)
    assert status == 0


def test_cli_explicit_config_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "m.py", PROGRAM)
    other = write(tmp_path / "conf" / "seedlint.toml", '[tool.seedlint]\nselect = ["SDL900"]\n')
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli(["check", "--config", str(other), "m.py"], capsys)
    assert status == 0, out
    status, _, err = cli(["check", "--config", "missing.toml", "m.py"], capsys)
    assert status == 2 and "missing.toml" in err


def test_cli_per_file_ignores_from_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.seedlint]\nselect = ["SDL103"]\n'
        '[tool.seedlint.per-file-ignores]\n"tests/*.py" = ["SDL1"]\n',
    )
    write(tmp_path / "tests" / "test_a.py", PROGRAM)
    write(tmp_path / "src" / "a.py", PROGRAM)
    monkeypatch.chdir(tmp_path / "src")  # patterns stay relative to the config's folder
    status, out, _ = cli(["check", str(tmp_path)], capsys)
    assert status == 1
    assert "a.py:2:5: SDL103" in out
    assert "test_a.py" not in out


def test_cli_target_version_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "m.py", "x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert cli(["m.py", "--target-version", "py311"], capsys)[0] == 0
    status, _, err = cli(["m.py", "--target-version", "py27"], capsys)
    assert status == 2 and "--target-version" in err
