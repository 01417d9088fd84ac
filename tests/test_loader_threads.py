"""The loader's process pool started while another thread is blocked reading standard input,
as the language server's reader thread always is.  A forked child inherits the stdin lock that
thread holds, and multiprocessing's child start-up closes stdin: with `fork`, the workers hang
for ever.  The workers must start, and give what one process gives."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from seedlint.analysis.loader import load_facts


def _project(root: Path, n: int = 24) -> list[str]:
    paths = []
    for i in range(n):
        path = root / f"mod_{i}.py"
        path.write_text(
            f"import numpy as np\n\n\ndef draw_{i}():\n    return np.random.rand({i})\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


def test_pool_while_a_thread_reads_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _project(tmp_path)
    alone = load_facts(paths, jobs=1)
    read_fd, write_fd = os.pipe()
    stdin = open(read_fd, encoding="utf-8")  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stdin", stdin)
    reader = threading.Thread(target=lambda: stdin.buffer.read(1), daemon=True)
    reader.start()
    got: dict[str, Any] = {}
    worker = threading.Thread(
        target=lambda: got.update(result=load_facts(paths, jobs=2)), daemon=True
    )
    try:
        worker.start()
        worker.join(timeout=60)
    finally:
        os.write(write_fd, b"x")
        reader.join(timeout=10)
        os.close(write_fd)
    assert not worker.is_alive(), "the process pool hung"
    pooled = got["result"]
    assert sorted(pooled.facts) == sorted(alone.facts)
    for path in paths:
        assert pooled.facts[path] == alone.facts[path]
