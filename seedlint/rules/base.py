"""What a rule is: one code, one name, one docstring, examples that run as tests, one check."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ..analysis.facts import ModuleFacts
    from ..diagnostics import Diagnostic
    from .context import ProjectContext


class Rule:
    """Subclasses set the class attributes and implement `check`.

    The docstring is the rule's documentation, in ruff's sections: ``## What it does``,
    ``## Why is this bad?``, ``## Example``, ``## Use instead``, ``## Fix safety``.
    `invalid` examples must produce at least one diagnostic of this code, `valid` ones none;
    tests run them, and the docs are generated from the docstring (`scripts/generate_docs.py`).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one line, for `seedlint rules` and the README table
    library: ClassVar[str | None] = None
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[str, ...]] = ()
    # SDL0xx rules need the whole project (programs, helpers in other files).
    project_wide: ClassVar[bool] = False
    # `--fix` can rewrite this rule's findings (as ruff's rules declare it); a test checks
    # that this agrees with the fix planner's codes and with what it does on the examples.
    fixable: ClassVar[bool] = False

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        """Markdown documentation: a title line, then the docstring."""
        body = inspect.cleandoc(cls.__doc__ or "")
        return f"# {cls.name} ({cls.code})\n\n{cls.summary}\n\n{body}\n"
