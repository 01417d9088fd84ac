"""Parse any Python 3.10-3.14 module with the running Python's `ast`, positions exact.

`ast` only knows the grammar of the Python that runs it: on 3.11, PEP 695 generics
(`def f[T]`, `class C[T]`, `type X = ...`), PEP 701 f-strings (`f"{d["k"]}"`), PEP 758
`except A, B:` and PEP 750 template strings (`t"..."`) are syntax errors, and on 3.10 so are
`except*` and starred subscripts and annotations (PEP 646).  A project on 3.12+ checked from a
3.10 pre-commit environment would lose whole files to SDL900.

What happens here, measured (see `benchmarks/README.md`): a file `ast` accepts (all but a
handful in any real project) costs nothing more.  Only a file `ast` rejects takes the slow path:

1. libcst's native parser, whose grammar is the union of Python 3.0-3.14, parses it; a file it
   rejects is a syntax error (the error `ast` gave, with its position, is what is reported);
2. the newer constructs are rewritten *in place* into text that the running `ast` accepts,
   every other character keeping its line and UTF-8 byte column (ast's columns are UTF-8 byte
   offsets): type parameter lists are blanked, `type X = v` becomes `0;  X = v`, the extra
   types of an unparenthesised `except A, B:` are blanked, and every f-string or t-string
   (with any strings implicitly concatenated to it) becomes a parenthesised tuple of its
   replacement-field expressions, each at its own position;
3. `ast` parses the rewritten text; if it still refuses, the original error is reported (a
   check on libcst's leniency too).

What the facts lose is what the analysis never needed: what type parameters are bound to,
the values of string literals around f-string holes, the second and later types of an
unparenthesised except clause.  Random API calls anywhere else (including inside f-string
holes and type alias values) keep their exact spans.

Why not a libcst -> facts path: libcst with position metadata is about 90x slower than `ast`
and would need a second extractor; the rewrite keeps the one `ast` extractor.

libcst's parser is native code that overflows its stack (a segmentation fault, not an
exception) on deep input (measured: 2,000 nested brackets, a 7,000-term operator chain) and
takes cubic time on long operator chains: `parse_module` (used by the fixer too) bounds both
first (`libcst_safe`; no Python accepts more than 200 nested brackets anyway) and parses in a
thread with a deep stack.
"""

from __future__ import annotations

import ast
import re
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import libcst

__all__ = [
    "accepts",
    "in_deep_thread",
    "libcst_safe",
    "parse",
    "parse_module",
    "rewrite_newer_syntax",
]

# CPython's tokenizer refuses more than 200 nested brackets: a file beyond that is a syntax
# error for every Python, so libcst is never asked (it crashed at 2,000).
_MAX_BRACKETS = 200
# libcst's parser recurses once per operator of a chain (`a + b + ...`, `- - x`): it crashed
# at 7,000 on the main thread's 8 MB stack, and its time grows with the cube of a chain's
# length (measured: 1,000 `+` 0.6 s, 2,000 4.5 s, 4,000 35 s).  It runs in a thread with a
# deep stack, and is never handed a chain longer than this.
_MAX_CHAIN = 1000
_STACK = 512 * 1024 * 1024
_BRACKET = re.compile(r"[][(){}]")
_OPERATOR = re.compile(r"[-+*/%&|^<>@~]|\b(?:and|or|not|if|lambda|await)\b")
# Tokens that extend or end a chain: operators, brackets, separators, line breaks.
_SCAN = re.compile(
    r"[][(){},;:]|\r\n|\r|\n|[-+*/%&|^<>@~]=?|\b(?:and|or|not|if|else|lambda|await)\b"
)

T = TypeVar("T")


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse(text)`, or, for a module that only a newer (or older) Python 3 accepts, the
    tree of its in-place rewrite (`rewrite_newer_syntax`): same lines, same UTF-8 byte
    columns.  Raises what `ast.parse(text)` raised when no supported Python accepts it."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as error:
        tree = _parse_rewritten(text, filename, compile_check=False)
        if tree is None:
            raise error from None
        return tree


def accepts(text: str, filename: str = "<unknown>") -> bool:
    """Whether some supported Python compiles `text` (the running one's `compile`, else the
    rewrite of its newer syntax compiles): what a fixer must keep true of its output."""
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except SyntaxError:
        return _parse_rewritten(text, filename, compile_check=True) is not None
    except (ValueError, RecursionError, MemoryError):
        return False
    return True


def _parse_rewritten(text: str, filename: str, *, compile_check: bool) -> ast.Module | None:
    rewritten = rewrite_newer_syntax(text)
    if rewritten is None or rewritten == text:
        return None
    try:
        with warnings.catch_warnings():
            # Blanked strings can make `ast` warn about escapes the original never had.
            warnings.simplefilter("ignore")
            tree = ast.parse(rewritten, filename=filename)
            if compile_check:
                compile(tree, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return tree


def libcst_safe(text: str) -> bool:
    """Whether libcst's native parser can be handed `text` (in `parse_module`'s thread)
    without risk of overflowing its stack: bracket nesting within what CPython accepts, no
    logical line with an absurd number of operators.  The scans ignore strings and comments,
    so they can only over-count, which at worst refuses a file that is already extreme."""
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "([{":
            depth += 1
            if depth > _MAX_BRACKETS:
                return False
        elif depth:
            depth -= 1
    if len(_OPERATOR.findall(text)) <= _MAX_CHAIN:
        return True
    # The longest chain: operators counted until a separator (`,`, `;`, `:`, a line break
    # outside brackets); an inner bracket's chain is counted apart from the outer one.
    stack: list[int] = []
    chain = 0
    for match in _SCAN.finditer(text):
        token = match.group()
        if token in "([{":
            stack.append(chain)
            chain = 0
        elif token in ")]}":
            chain = stack.pop() if stack else 0
        elif token in ",;:" or (token[0] in "\r\n" and not stack):
            chain = 0
        elif token[0] not in "\r\n" and not token.endswith("=") or token in ("<=", ">="):
            chain += 1
            if chain > _MAX_CHAIN:
                return False
    return True


def in_deep_thread(function: Callable[[], T]) -> T:
    """`function()` run in a thread with a 512 MB stack (address space, not memory: pages
    are used only as deep as the recursion goes), re-raising what it raised."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(function())
        except BaseException as exc:  # handed back to the caller
            failure.append(exc)

    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(_STACK)
        try:
            thread = threading.Thread(target=run, name="seedlint-libcst", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


_STACK_SIZE_LOCK = threading.Lock()


def parse_module(text: str) -> libcst.Module | None:
    """libcst's parse of `text`, or None when it refuses it or it is too deep to ask
    (`libcst_safe`); never crashes the process."""
    if not libcst_safe(text):
        return None
    import libcst

    try:
        return in_deep_thread(lambda: libcst.parse_module(text))
    except (libcst.ParserSyntaxError, RecursionError, MemoryError, ValueError):
        return None


def rewrite_newer_syntax(text: str) -> str | None:
    """`text` with the constructs a newer or older Python 3 accepts rewritten in place (see
    the module docstring); None when libcst refuses it (or it is too deep to ask)."""
    # Imported here: libcst costs 0.16 s to import, and only rejected files get this far.
    from .compat_rewrite import rewrite

    return rewrite(text)
