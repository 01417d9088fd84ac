"""Fixture files with their expected findings written inline, ruff/flake8-bugbear style.

A line that should produce findings ends with a marker comment::

    x = np.random.rand(3)  # expect: SDL101
    c = rnd.random()  # expect: SDL101, SDL103
    y = f(np.random.rand(), np.random.rand())  # expect: SDL101 x2
    z = np.random.rand()  # expect: SDL101@col=5

A finding is expected on the line where the call (or reference) starts; ``@col=N`` also pins
its 1-based column, counted in characters.  Every line without a marker must produce nothing.

* ``fixtures/sdl1*/**/*.py`` and ``fixtures/sdl900/*.py`` are single files, checked with
  `check_source` (rules SDL1xx and SDL9xx selected, so that project-wide rules added later do
  not change what they expect).
* ``fixtures/projects/<name>/`` are whole projects, checked with a `Workspace` rooted there
  over all their ``.py`` files together, with every rule (or the ``[tool.seedlint]`` table of
  the project's own ``pyproject.toml``); markers are compared in every file.

Files are decoded the way Python decodes source (`tokenize.detect_encoding`: a coding cookie,
a UTF-8 BOM); line endings are passed through untouched, so the CRLF and CR fixtures exercise
the engine's own handling of them.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from seedlint.diagnostics import Diagnostic
from seedlint.rules import ALL_RULES, get_rule
from seedlint.settings import Settings
from seedlint.workspace import Workspace

from .engine_helpers import check_source

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
PROJECTS = FIXTURES / "projects"

# Single-file fixtures check these rule families only (see the module docstring).
SINGLE_FILE_SETTINGS = Settings(select=("SDL1", "SDL9"))

_MARKER = re.compile(r"#\s*expect\b(?P<rest>.*)$")
_MARKER_BODY = re.compile(r"^:\s*(?P<items>\S.*?)\s*$")
_ITEM = re.compile(
    r"^(?P<code>SDL[0-9]{3})(?:@col=(?P<col>[1-9][0-9]*))?(?:\s+x(?P<n>[1-9][0-9]*))?$"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_POSITIVE_OPTIONAL = ("_negatives.py", "_valid.py")


class MarkerError(ValueError):
    """A malformed ``# expect:`` comment (so a typo cannot silently drop an expectation)."""


@dataclass(frozen=True)
class Expected:
    line: int
    code: str
    column: int | None = None

    def describe(self) -> str:
        where = f"{self.line}" if self.column is None else f"{self.line}:{self.column}"
        return f"{where}: {self.code}"


def decode_source(data: bytes) -> str:
    """Bytes to text the way Python reads a module: coding cookie or BOM, UTF-8 by default."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def source_lines(text: str) -> list[str]:
    """Physical lines, numbered like Python numbers them (CRLF, CR and LF all end a line)."""
    return _LINE_BREAK.split(text)


def parse_markers(text: str, where: str = "<text>") -> list[Expected]:
    expected: list[Expected] = []
    for number, line in enumerate(source_lines(text), start=1):
        match = _MARKER.search(line)
        if match is None:
            continue
        body = _MARKER_BODY.match(match.group("rest"))
        if body is None:
            raise MarkerError(f"{where}:{number}: malformed marker {match.group(0)!r}")
        for raw in body.group("items").split(","):
            item = _ITEM.match(raw.strip())
            if item is None:
                raise MarkerError(
                    f"{where}:{number}: malformed item {raw.strip()!r} in {match.group(0)!r} "
                    "(expected CODE, CODE@col=N or CODE xN)"
                )
            column = int(item.group("col")) if item.group("col") else None
            count = int(item.group("n") or 1)
            expected.extend(Expected(number, item.group("code"), column) for _ in range(count))
    return expected


def compare(
    expected: Iterable[Expected], actual: Sequence[Diagnostic]
) -> tuple[list[Expected], list[Diagnostic]]:
    """(missing expectations, unexpected diagnostics); column-pinned expectations first."""
    unmatched = list(actual)
    missing: list[Expected] = []
    ordered = sorted(expected, key=lambda e: e.column is None)
    for want in ordered:
        for index, got in enumerate(unmatched):
            if (
                got.line == want.line
                and got.code == want.code
                and (want.column is None or got.column == want.column)
            ):
                del unmatched[index]
                break
        else:
            missing.append(want)
    return missing, unmatched


def mismatch_report(
    label: str, text: str, missing: Sequence[Expected], unexpected: Sequence[Diagnostic]
) -> str:
    lines = source_lines(text)

    def source(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    out = [f"{label}: findings differ from the `# expect:` markers"]
    for want in missing:
        out.append(f"  missing     {want.describe():<16} | {source(want.line)}")
    for got in unexpected:
        where = f"{got.line}:{got.column}: {got.code}"
        out.append(f"  unexpected  {where:<16} | {source(got.line)}")
        out.append(f"{'':30}({got.message})")
    return "\n".join(out)


def fixture_id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


def single_file_fixtures() -> list[Path]:
    found = {*FIXTURES.glob("sdl1*/**/*.py"), *FIXTURES.glob("sdl900/*.py")}
    return sorted(found)


def project_fixtures() -> list[Path]:
    if not PROJECTS.is_dir():
        return []
    return sorted(p for p in PROJECTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def project_settings(project: Path) -> Settings:
    config = project / "pyproject.toml"
    if not config.is_file():
        return Settings()
    from seedlint.config import build_settings, read_config_file

    return build_settings(read_config_file(config))


# --- single files ------------------------------------------------------------------------


@pytest.mark.parametrize("path", single_file_fixtures(), ids=fixture_id)
def test_fixture(path: Path) -> None:
    text = decode_source(path.read_bytes())
    expected = parse_markers(text, fixture_id(path))
    actual = check_source(text, str(path), SINGLE_FILE_SETTINGS)
    missing, unexpected = compare(expected, actual)
    if missing or unexpected:
        pytest.fail(mismatch_report(fixture_id(path), text, missing, unexpected), pytrace=False)


def fixture_rule_dirs() -> list[Path]:
    """The folders the single-file fixtures live in: fixtures/sdl1*/ and fixtures/sdl900/."""
    return sorted(p for p in [*FIXTURES.glob("sdl1*"), FIXTURES / "sdl900"] if p.is_dir())


@pytest.mark.parametrize("folder", fixture_rule_dirs(), ids=lambda p: p.name)
def test_fixture_folder_is_a_rule_with_positive_cases(folder: Path) -> None:
    """Every file of fixtures/sdlNNN/ expects SDLNNN at least once, unless it says (by its
    name) that it holds only valid code; so a fixture set cannot silently become empty."""
    code = folder.name.upper()
    assert re.fullmatch(r"SDL[0-9]{3}", code), f"{folder.name}: not named like a rule code"
    assert get_rule(code) is not None, f"fixtures/{folder.name}: no rule {code} in ALL_RULES"
    files = sorted(folder.rglob("*.py"))
    assert files, f"fixtures/{folder.name} holds no fixture files"
    without = [
        fixture_id(f)
        for f in files
        if not f.name.endswith(_POSITIVE_OPTIONAL)
        and code not in {e.code for e in parse_markers(decode_source(f.read_bytes()))}
    ]
    assert not without, (
        f"these fixtures expect no {code} although their names do not end with "
        f"{' or '.join(_POSITIVE_OPTIONAL)}: {without}"
    )
    positives = [
        f for f in files if code in {e.code for e in parse_markers(decode_source(f.read_bytes()))}
    ]
    assert positives, f"fixtures/{folder.name} expects {code} nowhere"


def test_every_single_file_rule_has_fixtures() -> None:
    """Each SDL1xx/SDL9xx rule has a fixture folder (the project-wide SDL0xx rules are tested
    with fixtures/projects/)."""
    folders = {p.name.upper() for p in fixture_rule_dirs()}
    codes = {r.code for r in ALL_RULES if r.code.startswith(("SDL1", "SDL9"))}
    assert codes <= folders, f"rules without a fixtures/<code>/ folder: {sorted(codes - folders)}"


# --- projects ----------------------------------------------------------------------------


@pytest.mark.parametrize("project", project_fixtures(), ids=lambda p: p.name)
def test_project_fixture(project: Path) -> None:
    files = sorted(project.rglob("*.py"))
    assert files, f"{fixture_id(project)} holds no .py files"
    texts = {str(f): decode_source(f.read_bytes()) for f in files}
    workspace = Workspace(project, project_settings(project), use_cache=False)
    results: dict[str, list[Diagnostic]] = {}
    for diagnostic in workspace.check([project]).diagnostics:
        results.setdefault(diagnostic.path, []).append(diagnostic)
    reports = []
    for f in files:
        text = texts[str(f)]
        missing, unexpected = compare(parse_markers(text, fixture_id(f)), results.get(str(f), []))
        if missing or unexpected:
            reports.append(mismatch_report(fixture_id(f), text, missing, unexpected))
    if reports:
        pytest.fail("\n".join(reports), pytrace=False)


# --- the harness itself ------------------------------------------------------------------


def test_markers_parse() -> None:
    text = (
        "a = 1  # expect: SDL101\r\n"
        "b = 2  # expect: SDL101, SDL103\r"
        "c = 3  # expect: SDL104 x2\n"
        "d = 4  # noqa: E501  # expect: SDL101@col=5, SDL102@col=9 x2\n"
        "e = 5\n"
    )
    assert parse_markers(text) == [
        Expected(1, "SDL101"),
        Expected(2, "SDL101"),
        Expected(2, "SDL103"),
        Expected(3, "SDL104"),
        Expected(3, "SDL104"),
        Expected(4, "SDL101", 5),
        Expected(4, "SDL102", 9),
        Expected(4, "SDL102", 9),
    ]


@pytest.mark.parametrize(
    "comment",
    ["# expect SDL101", "# expect:", "# expect: SDL10", "# expect: SDL101 2", "# expect: SDL101@5"],
)
def test_malformed_markers_are_errors(comment: str) -> None:
    with pytest.raises(MarkerError):
        parse_markers(f"x = 1  {comment}\n")


def test_compare_reports_missing_and_unexpected() -> None:
    from seedlint.diagnostics import Span

    def diag(line: int, column: int, code: str) -> Diagnostic:
        return Diagnostic("f.py", Span(line, column, line, column + 1), code, "name", "message")

    missing, unexpected = compare(
        [Expected(1, "SDL101"), Expected(2, "SDL103", 5), Expected(3, "SDL104")],
        [diag(1, 1, "SDL101"), diag(2, 6, "SDL103"), diag(4, 1, "SDL101")],
    )
    assert missing == [Expected(2, "SDL103", 5), Expected(3, "SDL104")]
    assert [(d.line, d.code) for d in unexpected] == [(2, "SDL103"), (4, "SDL101")]


def test_decoding_follows_python() -> None:
    assert decode_source(b"\xef\xbb\xbfx = 1\n") == "x = 1\n"
    assert decode_source(b"# coding: latin-1\ns = '\xe9'\n") == "# coding: latin-1\ns = '\u00e9'\n"
    assert decode_source(b"a = 1\r\nb = 2\r\n") == "a = 1\r\nb = 2\r\n"
    assert decode_source(b"") == ""
    assert Counter(source_lines("a\r\nb\rc\nd")) == Counter(["a", "b", "c", "d"])


def test_every_prefilter_token_passes_a_gate() -> None:
    """The prefilter's cheap gates must let every direct token through, or files that use a
    random API would never be parsed."""
    from seedlint.analysis import prefilter

    for token in prefilter._DIRECT:
        assert any(gate in token for gate in prefilter._GATES), token


def test_prefilter_lets_every_known_api_through() -> None:
    """A file that calls any API of the knowledge tables must be parsed (a missed token would
    silently hide its findings): `direct` for everything, `program` at least for the APIs that
    draw only when a program builds or runs them."""
    from seedlint.analysis.prefilter import classify
    from seedlint.knowledge import (
        generators,
        numpy_legacy,
        seeding,
        stdlib_random,
        thirdparty,
        torch_api,
    )

    calls: list[tuple[str, str]] = []
    calls += [(f"numpy.random.{name}", "direct") for name in numpy_legacy.LEGACY]
    calls += [(f"random.{name}", "direct") for name in stdlib_random.FUNCTIONS]
    calls += [(name, "direct") for name in [*seeding.SEEDING_CALLS, *seeding.ALIASES]]
    calls += [(name, "direct") for name in generators.EXPLICIT]
    for name, api in torch_api.APIS.items():
        layer = api.draws_on in ("construction", "forward") or not api.accepts_generator
        calls.append((name, "program" if layer else "direct"))
    for name, entry in thirdparty.THIRDPARTY_DRAWS.items():
        if entry.kind != "method":
            calls.append((name, "direct"))
    wrong = []
    for qualname, least in calls:
        module, _, function = qualname.rpartition(".")
        qualified = f"import {module.split('.')[0]}\n\nresult = {qualname}(x)\n"
        imported = f"from {module} import {function}\n\nresult = {function}(x)\n"
        # A method (`torch.Tensor.normal_`) cannot be imported on its own.
        is_method = module.rsplit(".", 1)[-1][:1].isupper()
        for source in (qualified,) if is_method else (qualified, imported):
            tier = classify(source, "lib.py")
            if tier == "none" or (least == "direct" and tier != "direct"):
                wrong.append((source, tier))
    assert not wrong, wrong
