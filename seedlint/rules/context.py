"""What a rule can see beyond its own module: every module's facts and the project analyses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..analysis.facts import ApiCall, ModuleFacts
from ..diagnostics import Diagnostic, Span
from ..settings import Settings

if TYPE_CHECKING:
    from ..analysis.seeding import SeedingReport


class ProjectContext:
    def __init__(
        self,
        modules: Mapping[str, ModuleFacts],
        settings: Settings,
        seeding: SeedingReport | None = None,
    ) -> None:
        """`seeding`: the seeding analysis of these very modules, when the caller already
        has it (a Workspace checking again after an edit that changed no seeding fact)."""
        self.modules = modules  # path -> facts
        self.settings = settings
        self._seeding = seeding

    @property
    def seeding(self) -> SeedingReport:
        """Draws checked against the seeding that precedes them, in every program (lazy:
        computed only when an SDL0xx rule that needs it is enabled)."""
        if self._seeding is None:
            from ..analysis.seeding import analyse_project

            self._seeding = analyse_project(self.modules, strict=self.settings.strict)
        return self._seeding

    @property
    def seeding_if_computed(self) -> SeedingReport | None:
        """The seeding analysis if a rule asked for it (or it was given), else None."""
        return self._seeding


def diagnostic(
    rule: type,
    module: ModuleFacts,
    call: ApiCall | Span,
    message: str,
    library: str | None,
    **kw: object,
) -> Diagnostic:
    """A diagnostic of `rule` at `call` (an ApiCall or a bare span) in `module`."""
    span = call.span if isinstance(call, ApiCall) else call
    return Diagnostic(
        path=module.path,
        span=span,
        code=rule.code,  # type: ignore[attr-defined]
        name=rule.name,  # type: ignore[attr-defined]
        message=message,
        library=library,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def display_name(qualname: str) -> str:
    """How users usually spell a qualified name in code (`np.random.rand`)."""
    if qualname.startswith("numpy."):
        return "np." + qualname[6:]
    return qualname
