"""Where seedlint lives on the web: the one place every front end takes its links from
(SARIF's ``informationUri`` and ``helpUri``, the language server's ``codeDescription.href``).

The address is the installed distribution's ``Repository`` URL (``[project.urls]`` in
pyproject.toml), so that a fork changing it there changes every link; the fallback serves a
source tree run without being installed.  Rule pages are ``docs/rules/CODE.md`` there (the
files `scripts/generate_docs.py` writes).
"""

from __future__ import annotations

from functools import cache

__all__ = ["FALLBACK_REPOSITORY_URL", "repository_url", "rule_docs_url"]

FALLBACK_REPOSITORY_URL = "https://github.com/seedlint/seedlint"


@cache
def repository_url() -> str:
    """The project's repository URL, from the distribution metadata (read once)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("seedlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return FALLBACK_REPOSITORY_URL
    for entry in entries:  # "Label, https://..."
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip():
            return str(url.strip().rstrip("/"))
    return FALLBACK_REPOSITORY_URL


def rule_docs_url(code: str) -> str:
    """The web page documenting rule `code`."""
    return f"{repository_url()}/blob/main/docs/rules/{code.upper()}.md"
