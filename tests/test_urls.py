"""One project address (`seedlint.urls`) behind every link a front end gives: SARIF's
informationUri and helpUri, the language server's codeDescription.href."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

import pytest

from seedlint.integrations.lsp.convert import docs_url
from seedlint.reporters.sarif import REPOSITORY_URL
from seedlint.rules import ALL_RULES
from seedlint.urls import FALLBACK_REPOSITORY_URL, repository_url, rule_docs_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def test_the_address_is_pyprojects() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    url = declared["project"]["urls"]["Repository"]
    assert FALLBACK_REPOSITORY_URL == url  # a source tree run uninstalled links the same
    try:
        installed = metadata("seedlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        pytest.fail("seedlint is not installed (pip install -e .)")
    assert f"Repository, {url}" in installed, "reinstall: pip install -e ."
    assert repository_url() == url == REPOSITORY_URL


def test_every_rule_links_to_its_page_in_the_repository() -> None:
    for rule in ALL_RULES:
        url = rule_docs_url(rule.code)
        assert url == f"{repository_url()}/blob/main/docs/rules/{rule.code}.md"
        assert (REPO / "docs" / "rules" / f"{rule.code}.md").is_file()
        assert docs_url(rule.code) == url  # the language server's codeDescription.href
    assert docs_url("SDL999") is None
