from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic, Span
from .base import Rule
from .context import ProjectContext, diagnostic


class SyntaxErrorRule(Rule):
    """## What it does
    Reports a file that seedlint could not check: it does not parse as Python, or it could not
    be read or decoded.

    ## Why is this bad?
    A file that is not checked may hide every other problem.  The rest of the run goes on; the
    exit status is non-zero so that CI and pre-commit notice.

    ## Example
    ```python
    def broken(:
        pass
    ```

    ## Use instead
    ```python
    def fixed():
        pass
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "SDL900"
    name = "syntax-error"
    summary = "File cannot be parsed, read or decoded"
    invalid = ("import random\n\ndef broken(:\n    pass\n",)
    valid = ("def fine():\n    pass\n",)

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        if module.syntax_error is None:
            return
        message, line, column = module.syntax_error
        span = Span(line, max(column, 1), line, max(column, 1))
        yield diagnostic(type(self), module, span, f"cannot parse: {message}", None)
