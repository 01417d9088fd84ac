"""What a user asked not to see: per-file-ignores, ``# noqa`` and ``# seedlint: skip-file``.

One place for every front end: the CLI, stdin, the flake8 plugin and the language server all
get diagnostics through `Workspace.check`, which filters them here.  The flake8 plugin is the
exception that proves the rule: flake8 applies its own selection, ``--per-file-ignores`` and
``# noqa`` (and ``--disable-noqa`` must show everything), so its Workspace selects every rule,
has no per-file-ignores and is built with ``noqa=False``; ``# seedlint: skip-file``, which
flake8 does not know, still applies there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from pathspec import GitIgnoreSpec

from ..diagnostics import Diagnostic
from ..discovery import relative_posix
from ..noqa import Directives, parse_directives
from ..settings import Settings

__all__ = ["Suppression"]


class Suppression:
    def __init__(self, settings: Settings, root: str) -> None:
        self.root = root
        self.rules = [
            (GitIgnoreSpec.from_lines([pattern]), codes)
            for pattern, codes in settings.per_file_ignores
        ]
        self._by_path: dict[str, tuple[str, ...]] = {}

    def ignored_codes(self, path: str) -> tuple[str, ...]:
        """The codes (prefixes) per-file-ignores hides for `path`."""
        if not self.rules:
            return ()
        cached = self._by_path.get(path)
        if cached is None:
            # Outside the root only name-only patterns ("__init__.py") can sensibly apply.
            rel = relative_posix(path, self.root) or os.path.basename(path)
            cached = tuple(
                code for spec, codes in self.rules if spec.match_file(rel) for code in codes
            )
            self._by_path[path] = cached
        return cached

    def filter(
        self,
        path: str,
        diagnostics: Iterable[Diagnostic],
        text: str | None,
        *,
        noqa: bool = True,
    ) -> list[Diagnostic]:
        """The diagnostics of the file `path` (whose text is `text`; None: unreadable, so it
        has no comments) that are not suppressed.  Without `noqa`, `# noqa` comments are left
        to the caller (only `# seedlint: skip-file` applies)."""
        directives = parse_directives(text) if text else Directives()
        if directives.skip_file:
            return []
        if not noqa:
            directives = Directives()
        ignored = self.ignored_codes(path)
        return [
            d
            for d in diagnostics
            if not (ignored and d.code.startswith(ignored)) and not directives.suppresses(d)
        ]
