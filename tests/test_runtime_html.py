"""The --html page rendered in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import require
from .runtime_helpers import project, run

_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("SEEDLINT_ALLOW_SKIP") == "1":
            pytest.skip("chromium is not installed (SEEDLINT_ALLOW_SKIP=1)")
        raise AssertionError("this test needs Debian's chromium: apt-get install chromium")
    return found


def _browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [_chromium(), *_CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_html_page_renders_timeline_sites_and_verify_statuses(tmp_path: Path) -> None:
    require("numpy")
    require("torch")
    cwd = project(tmp_path, "torch_seed_only.py")
    ran = run(cwd, "-m", "seedlint", "run", "-q", "--report", "r.json", "torch_seed_only.py")
    assert ran.returncode == 0, ran.stderr
    done = run(cwd, "-m", "seedlint", "verify", ".", "--report", "r.json", "--html", "v.html")
    assert done.returncode == 1, done.stderr
    page = cwd / "v.html"
    assert "<script" not in page.read_text() and "http" not in page.read_text().split("<body")[1]
    dom = _browser(tmp_path, "--dump-dom", page.as_uri()).stdout
    text = re.sub(r"<[^>]+>", " ", dom)
    text = " ".join(text.split())
    assert "seedlint runtime report" in text
    # per library: heading, summary, timeline, call-site table
    assert "random 1 draw at 1 call site; not deterministically seeded before its first" in text
    assert "numpy 1 draw at 1 call site; not deterministically seeded before its first" in text
    assert "torch 1 draw at 1 call site; deterministically seeded before its first draw." in text
    assert dom.count('class="timeline"') == 3
    assert dom.count('class="mark draw unseeded"') == 2  # random and numpy, drawn unseeded
    assert dom.count('class="mark seed"') == 1  # torch.manual_seed
    assert "torch_seed_only.py:10 random.random ×1 1 1 no main" in text
    assert "torch_seed_only.py:8 torch.manual_seed(0) deterministic seed main" in text
    # verify statuses
    assert "confirmed SDL002 torch_seed_only.py:10" in text
    assert "confirmed SDL002 torch_seed_only.py:11" in text
    shot = tmp_path / "page.png"
    _browser(tmp_path, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a page with content, not a blank one


def test_html_page_lists_explicit_generators(tmp_path: Path) -> None:
    require("numpy")
    require("torch")
    cwd = project(tmp_path, "explicit_generators.py")
    ran = run(cwd, "-m", "seedlint", "run", "-q", "--html", "e.html", "explicit_generators.py")
    assert ran.returncode == 0, ran.stderr
    dom = _browser(tmp_path, "--dump-dom", (cwd / "e.html").as_uri()).stdout
    text = " ".join(re.sub(r"<[^>]+>", " ", dom).split())
    assert text.count("explicit generator made at") == 3  # random, numpy, torch
    assert (
        "explicit_generators.py:23 numpy.random.default_rng() 1 seeded from entropy: "
        "not reproducible" in text
    )
    assert (
        "explicit_generators.py:24 random.Random() 1 seeded from entropy, then again "
        "deterministically" in text
    )
    assert "explicit_generators.py:26 torch.Generator() 1 1 draw while never seeded" in text
