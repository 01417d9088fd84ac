"""A recording session: installs the hooks, owns the recorder, and writes the report however
the process ends.

How a process can end, and what the report says (`exit.how`):
- normal end, `sys.exit`, an uncaught exception: `atexit` (the runner adds the exit status
  and the exception it saw);
- SIGTERM (when the program left the default handler in place): the report is written, then
  the signal is delivered again with the default action, so the exit status is unchanged;
- `os._exit` (also how forked `multiprocessing` and DataLoader workers end): wrapped, the
  report (or the child's part) is written first.
Not observable: SIGKILL, a crash of the interpreter itself (segfault), `os.abort`.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any, NoReturn

from . import explicit, hooks_random
from . import recorder as _recorder
from .imports import PostImportHooks
from .recorder import Recorder
from .report import build_report, part_json

__all__ = ["Session", "current"]

_STACK: list[Session] = []
_FORK_HOOK_REGISTERED = False
_REAL_EXIT = os._exit


def current() -> Session | None:
    return _STACK[-1] if _STACK else None


def _after_fork_child() -> None:
    for session in _STACK:
        session._after_fork_child()


def _hook_numpy() -> None:
    from . import hooks_numpy

    hooks_numpy.install()
    explicit.install_numpy()


def _hook_torch() -> None:
    from . import hooks_torch

    hooks_torch.install()
    explicit.install_torch()


_LIBRARY_HOOKS: dict[str, tuple[str, Callable[[], None]]] = {
    "numpy": ("numpy.random", _hook_numpy),
    "torch": ("torch", _hook_torch),
}


class Session:
    def __init__(
        self,
        report_path: str | None = None,
        *,
        digest: bool = False,
        argv: list[str] | None = None,
        process_exit_hooks: bool = False,
    ) -> None:
        self.report_path = os.path.abspath(report_path) if report_path else None
        self.recorder = Recorder(digest=digest)
        self.argv = list(sys.argv if argv is None else argv)
        self.cwd = os.getcwd()
        self.process_exit_hooks = process_exit_hooks
        self.role = "main"
        self.exit_info: dict[str, Any] = {"how": "running", "status": None, "exception": None}
        self.problems: list[str] = []
        self._finished = False
        self._outer: Recorder | None = None
        self._import_hooks: PostImportHooks | None = None
        self._parts_dir: str | None = None
        self._owns_parts = False
        self._lock = threading.Lock()
        # SIGTERM while this process writes its report (pool.terminate() signals workers that
        # are already exiting through os._exit): the handler must not wait for the lock the
        # interrupted `finish` holds; the signal is delivered again once the report is out.
        self._finishing = False
        self._pending_signal: int | None = None

    # --- lifetime --------------------------------------------------------------------------

    def start(self) -> Session:
        global _FORK_HOOK_REGISTERED
        self._outer = _recorder.ACTIVE
        if self._outer is not None:  # nested: start from what the outer session knows
            self.recorder.status.update(self._outer.status)
        if _STACK:
            self._parts_dir = _STACK[-1]._parts_dir
        elif self.report_path is not None:
            self._parts_dir = self.report_path + ".parts"
            shutil.rmtree(self._parts_dir, ignore_errors=True)
            os.makedirs(self._parts_dir, exist_ok=True)
            self._owns_parts = True
        else:
            self._parts_dir = tempfile.mkdtemp(prefix="seedlint-runtime-")
            self._owns_parts = True
        _recorder.activate(self.recorder)
        _STACK.append(self)
        hooks_random.install()
        explicit.install_random()
        self.recorder.hooked["random"] = "stdlib"
        pending: dict[str, Callable[[], None]] = {}
        for library, (module, hook) in _LIBRARY_HOOKS.items():
            if module in sys.modules:
                self._install(library, hook)
            else:
                pending[module] = self._later(library, hook)
        if pending and len(_STACK) == 1:
            self._import_hooks = PostImportHooks(pending)
            self._import_hooks.install()
        if not _FORK_HOOK_REGISTERED and hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_after_fork_child)
            _FORK_HOOK_REGISTERED = True
        _watch_children()
        if self.process_exit_hooks:
            self._install_exit_hooks()
        return self

    def _later(self, library: str, hook: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            for session in _STACK:
                session._install(library, hook)

        return run

    def _install(self, library: str, hook: Callable[[], None]) -> None:
        if library in self.recorder.hooked:
            return
        try:
            hook()
        except Exception as exc:  # never break the program's import
            self.problems.append(f"{library}: could not install the recorder: {exc!r}")
            return
        module = sys.modules.get(library)
        self.recorder.hooked[library] = str(getattr(module, "__version__", "?"))

    def stop(self) -> None:
        if self not in _STACK:
            return
        _STACK.remove(self)
        if self._outer is not None:
            self._outer.status.update(self.recorder.status)
        _recorder.activate(self._outer)
        if self._import_hooks is not None:
            self._import_hooks.uninstall()
        if not _STACK:
            hooks_random.uninstall()
            explicit.uninstall()
            for library in ("numpy", "torch"):
                if library in self.recorder.hooked:
                    module = {"numpy": "hooks_numpy", "torch": "hooks_torch"}[library]
                    __import__(f"{__package__}.{module}", fromlist=["uninstall"]).uninstall()

    def _after_fork_child(self) -> None:
        self.recorder.after_fork_child()
        self.role = "child"
        self._finished = False
        self._owns_parts = False

    # --- exits -----------------------------------------------------------------------------

    def _install_exit_hooks(self) -> None:
        atexit.register(self.finish, "exit")
        os._exit = self._os_exit
        if threading.current_thread() is threading.main_thread():
            try:
                if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
                    signal.signal(signal.SIGTERM, self._on_sigterm)
            except (ValueError, OSError):
                pass

    def _os_exit(self, status: int) -> NoReturn:
        self.finish("os._exit", status)
        _REAL_EXIT(status)

    def _on_sigterm(self, signum: int, frame: object) -> None:
        if self._finishing:
            self._pending_signal = signum
            return
        self.finish("signal", 128 + signum, "SIGTERM")
        self._die_of(signum)

    @staticmethod
    def _die_of(signum: int) -> None:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def finish(self, how: str, status: int | None = None, exception: str | None = None) -> None:
        """Write the report (or, in a forked child, this process's part) once."""
        self._finishing = True
        try:
            with self._lock:
                if self._finished:
                    return
                self._finished = True
                if self.exit_info["how"] == "running":
                    self.exit_info = {"how": how, "status": status, "exception": exception}
                try:
                    self.write()
                except Exception as exc:  # the program's exit must not fail because of us
                    print(f"seedlint.runtime: could not write the report: {exc}", file=sys.stderr)
        finally:
            self._finishing = False
        if self._pending_signal is not None:
            self._die_of(self._pending_signal)

    def write(self) -> None:
        if self.role == "child":
            if self._parts_dir is None or not os.path.isdir(self._parts_dir):
                return
            path = os.path.join(self._parts_dir, f"{os.getpid()}.json")
            _write_json(path, part_json(self.recorder, self.role, self.exit_info))
            return
        if self.report_path is None:
            return
        _write_json(self.report_path, self.report())
        if self._owns_parts and self._parts_dir:
            shutil.rmtree(self._parts_dir, ignore_errors=True)

    def report(self) -> dict[str, Any]:
        """The report so far: this process, and the parts its children have written."""
        parts = [part_json(self.recorder, self.role, self.exit_info)]
        if self._parts_dir and os.path.isdir(self._parts_dir):
            for name in sorted(os.listdir(self._parts_dir)):
                if name.endswith(".json"):
                    try:
                        with open(os.path.join(self._parts_dir, name), encoding="utf-8") as f:
                            parts.append(json.load(f))
                    except (OSError, ValueError):
                        self.problems.append(f"unreadable part {name}")
        return build_report(
            parts,
            argv=self.argv,
            cwd=self.cwd,
            exit_info=self.exit_info,
            problems=self.problems,
            started=self.recorder.started,
            duration=self.recorder.elapsed(),
        )

    def close_parts(self) -> None:
        if self._owns_parts and self._parts_dir and self.report_path is None:
            shutil.rmtree(self._parts_dir, ignore_errors=True)


def _write_json(path: str, data: dict[str, Any]) -> None:
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".seedlint-", suffix=".json", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide the report from others
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


_WATCHING = False


def _watch_children() -> None:
    """Note every `multiprocessing` child started, so that one which leaves no part (the
    spawn and forkserver start methods run a fresh interpreter) is listed as not observed."""
    global _WATCHING
    if _WATCHING:
        return
    _WATCHING = True
    import multiprocessing.process as mp_process

    original = mp_process.BaseProcess.start

    def start(self: Any) -> None:
        original(self)
        rec = _recorder.ACTIVE
        if rec is not None:
            method = getattr(getattr(self, "_ctx", None), "_name", None) or getattr(
                self, "_start_method", None
            )
            rec.children.append({"pid": self.pid, "name": self.name, "start_method": method})

    mp_process.BaseProcess.start = start  # type: ignore[method-assign]
