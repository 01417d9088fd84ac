"""`seedlint lsp`: a language server over the shared `Workspace` (needs the `lsp` extra).

Modules: `server` (pygls handlers and scheduling), `session` (one Workspace per workspace
folder, open buffers as overlays), `convert` (positions in the negotiated encoding,
diagnostics), `actions` (quick fixes, noqa, fix-all), `options` (client settings).
This package's `__init__` imports nothing of pygls, so that the CLI can say how to install it.
"""

from __future__ import annotations

__all__ = ["INSTALL_HINT", "main"]

INSTALL_HINT = (
    "`seedlint lsp` needs pygls, which is not installed; install the language server extra: "
    "python -m pip install 'seedlint[lsp]'"
)


def main() -> int:
    """Run the server on stdio; 2 (and a message on stderr) when pygls is missing."""
    import sys

    try:
        import pygls  # noqa: F401
    except ImportError:
        print(f"seedlint: error: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from .server import serve

    serve()
    return 0
