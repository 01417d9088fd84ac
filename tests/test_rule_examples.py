"""Every rule's metadata, its `valid`/`invalid` examples and the code blocks of its docstring."""

from __future__ import annotations

import inspect
import re
import textwrap

import pytest

from seedlint.rules import ALL_RULES, get_rule
from seedlint.rules.base import Rule
from tests.conftest import require

from .engine_helpers import check_source

SECTIONS = (
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Fix safety",
)
_CODE = re.compile(r"^SDL[0-9]{3}$")
_KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```\s*$", re.DOTALL | re.MULTILINE)

RuleType = type[Rule]


def rule_id(rule: RuleType) -> str:
    return rule.code


def example_id(example: str) -> str:
    return example.strip().splitlines()[-1][:40] if example.strip() else "<empty>"


def codes_of(source: str) -> list[str]:
    return [d.code for d in check_source(source, "example.py")]


def invalid_cases() -> list[tuple[RuleType, str]]:
    return [(rule, example) for rule in ALL_RULES for example in rule.invalid]


def valid_cases() -> list[tuple[RuleType, str]]:
    return [(rule, example) for rule in ALL_RULES for example in rule.valid]


def _case_id(case: object) -> str:
    if isinstance(case, type):
        return case.code  # type: ignore[attr-defined, no-any-return]
    if isinstance(case, str):
        return example_id(case)
    return str(case)


def docstring(rule: RuleType) -> str:
    return inspect.cleandoc(rule.__doc__ or "")


def section(doc: str, title: str) -> str:
    """The text of one ``## Title`` section, up to the next ``## `` heading."""
    start = doc.index(title) + len(title)
    following = doc.find("\n## ", start)
    return doc[start:] if following == -1 else doc[start:following]


def python_blocks(text: str) -> list[str]:
    return [textwrap.dedent(block) for block in _PYTHON_BLOCK.findall(text)]


# --- examples ----------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "example"), invalid_cases(), ids=_case_id)
def test_invalid_example_is_reported(rule: RuleType, example: str) -> None:
    codes = codes_of(example)
    assert rule.code in codes, f"{rule.code} invalid example gave {codes}:\n{example}"


@pytest.mark.parametrize(("rule", "example"), valid_cases(), ids=_case_id)
def test_valid_example_is_not_reported(rule: RuleType, example: str) -> None:
    codes = codes_of(example)
    assert rule.code not in codes, f"{rule.code} valid example gave {codes}:\n{example}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=rule_id)
def test_rule_has_examples(rule: RuleType) -> None:
    assert rule.invalid, f"{rule.code} has no invalid examples"
    assert rule.valid, f"{rule.code} has no valid examples"


# --- docstring ---------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ALL_RULES, ids=rule_id)
def test_docstring_sections_in_order(rule: RuleType) -> None:
    doc = docstring(rule)
    headings = [line.strip() for line in doc.splitlines() if line.startswith("## ")]
    assert tuple(headings) == SECTIONS, f"{rule.code}: sections {headings}, want {SECTIONS}"
    for title in SECTIONS:
        assert section(doc, title).strip(), f"{rule.code}: section {title!r} is empty"


@pytest.mark.parametrize("rule", ALL_RULES, ids=rule_id)
def test_docstring_examples(rule: RuleType) -> None:
    """The ``## Example`` block shows the problem; the ``## Use instead`` block does not."""
    if getattr(rule, "doc_examples_are_snippets", False):
        pytest.skip(f"{rule.code}: its docstring examples need several files")
    doc = docstring(rule)
    examples = python_blocks(section(doc, "## Example"))
    fixed = python_blocks(section(doc, "## Use instead"))
    assert examples, f"{rule.code}: no ```python block under ## Example"
    assert fixed, f"{rule.code}: no ```python block under ## Use instead"
    for block in examples:
        assert rule.code in codes_of(block), f"{rule.code}: ## Example not reported:\n{block}"
    for block in fixed:
        codes = codes_of(block)
        assert rule.code not in codes, f"{rule.code}: ## Use instead reported:\n{block}"


def test_doc_renders_title_summary_and_body() -> None:
    for rule in ALL_RULES:
        doc = rule.doc()
        assert doc.startswith(f"# {rule.name} ({rule.code})\n\n{rule.summary}\n\n"), rule.code
        assert doc.endswith("\n") and not doc.endswith("\n\n"), rule.code


# --- metadata ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ALL_RULES, ids=rule_id)
def test_code_and_name_format(rule: RuleType) -> None:
    assert _CODE.match(rule.code), f"{rule.code!r} is not SDL followed by three digits"
    assert _KEBAB.match(rule.name), f"{rule.code}: name {rule.name!r} is not kebab-case"
    summary = rule.summary
    assert summary.strip() == summary and summary and "\n" not in summary, rule.code
    assert get_rule(rule.code) is rule
    assert get_rule(rule.code.lower()) is rule


def test_codes_are_accepted_by_flake8() -> None:
    defaults = require("flake8.defaults")
    valid = defaults.VALID_CODE_PREFIX
    bad = [rule.code for rule in ALL_RULES if not valid.match(rule.code)]
    assert not bad, f"flake8 rejects these codes: {bad}"


def test_codes_and_names_are_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    names = [rule.name for rule in ALL_RULES]
    assert len(set(codes)) == len(codes), f"duplicate codes: {sorted(codes)}"
    assert len(set(names)) == len(names), f"duplicate names: {sorted(names)}"
