"""The one engine every front end adapts: see `workspace.Workspace`."""

from __future__ import annotations

from .workspace import FileFix, FixResult, Report, Workspace, file_error, protected_findings

__all__ = ["FileFix", "FixResult", "Report", "Workspace", "file_error", "protected_findings"]
