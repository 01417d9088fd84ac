#!/usr/bin/env python3
"""Run README's editor snippets for `seedlint lsp` in the real editors installed here.

    python scripts/try_editors.py            # every editor found on PATH
    python scripts/try_editors.py neovim     # one

Each editor is started headless/batch on a copy of fixtures/projects/lsp_helper with the
snippet taken verbatim from README.md as its configuration, opens train.py and must show the
server's diagnostics there (SDL002 and SDL104 on the torch draw); then the draw line is
deleted in the buffer, unsaved, and the diagnostics must go away.  Prints one line per editor
(ok / FAILED / not installed) and exits non-zero if one failed.

Supported: Neovim 0.7 to 0.10 (the `vim.lsp.start_client` snippet; the `vim.lsp.config`
snippet needs 0.11) and Emacs with eglot (built in from Emacs 29; Debian's `elpa-eglot` for
Emacs 28).  `seedlint` must be on PATH (an activated virtual environment).  VS Code and
Helix have no headless mode to drive here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = REPO / "fixtures" / "projects" / "lsp_helper"
TIMEOUT_S = 120

NVIM_DRIVER = r"""
local out = vim.env.SEEDLINT_OUT
local lines = {}
local function codes()
  local got = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(got, tostring(code))
  end
  table.sort(got)
  return table.concat(got, ",")
end
vim.wait(60000, function() return #vim.diagnostic.get(0) >= 2 end, 50)
table.insert(lines, "open: " .. codes())
-- Delete the torch draw (unsaved): its findings must go.
for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
  if line:find("torch.randn", 1, true) then
    vim.api.nvim_buf_set_lines(0, i - 1, i, false, {"    noise = 0"})
    break
  end
end
vim.wait(60000, function() return #vim.diagnostic.get(0) == 0 end, 50)
table.insert(lines, "edited: " .. codes())
vim.fn.writefile(lines, out)
vim.cmd("qa!")
"""

EMACS_DRIVER = r"""
(require 'package)
;; Debian's elpa-* packages (elpa-eglot for Emacs 28): -Q skips the site start-up that adds them.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(load-file (getenv "SEEDLINT_SNIPPET"))
(setq eglot-sync-connect t)
(find-file (getenv "SEEDLINT_FILE"))
(python-mode)
(call-interactively #'eglot)
(defun seedlint--codes ()
  (sort (mapcar (lambda (d)
                  (let ((text (flymake-diagnostic-text d)))
                    (if (string-match "SDL[0-9]+" text) (match-string 0 text) text)))
                (flymake-diagnostics))
        #'string<))
(defun seedlint--wait (done)
  (let ((n 0))
    (while (and (not (funcall done)) (< n 600))
      (accept-process-output nil 0.1)
      (setq n (1+ n)))))
(seedlint--wait (lambda () (>= (length (flymake-diagnostics)) 2)))
(let ((opened (seedlint--codes)))
  (goto-char (point-min))
  (search-forward "torch.randn")
  (let ((start (line-beginning-position)) (end (line-end-position)))
    (delete-region start end)
    (goto-char start)
    (insert "    noise = 0"))
  (eglot--signal-textDocument/didChange)
  (flymake-start)
  (seedlint--wait (lambda () (null (flymake-diagnostics))))
  (with-temp-file (getenv "SEEDLINT_OUT")
    (insert (format "open: %s\nedited: %s\n"
                    (mapconcat #'identity opened ",")
                    (mapconcat #'identity (seedlint--codes) ",")))))
(kill-emacs 0)
"""


def snippet(language: str, marker: str) -> str:
    """The README code block in `language` that comes first after the line with `marker`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(marker) :]
    match = re.search(rf"```{language}\n(.*?)```", after, re.DOTALL)
    assert match is not None, f"no {language} block after {marker!r} in README.md"
    return match.group(1)


def project(into: Path) -> Path:
    root = into / "project"
    shutil.copytree(PROJECT, root)
    (root / "pyproject.toml").write_text("[project]\nname = 'try'\n", encoding="utf-8")
    return root


def check(out: Path, result: subprocess.CompletedProcess[str]) -> str | None:
    """None when the editor showed SDL002 and SDL104, and nothing after the edit."""
    if not out.exists():
        return f"no result (exit {result.returncode}): {result.stderr[-2000:]}"
    got = out.read_text(encoding="utf-8")
    if "open: SDL002,SDL104\n" in got and "edited: \n" in got + "\n":
        return None
    return f"unexpected diagnostics:\n{got}{result.stderr[-2000:]}"


def neovim(tmp: Path) -> tuple[str, str | None]:
    version = subprocess.run(["nvim", "--version"], capture_output=True, text=True).stdout
    name = version.splitlines()[0]
    root = project(tmp)
    init = tmp / "init.lua"
    init.write_text(snippet("lua", "Neovim 0.7 to 0.10"), encoding="utf-8")
    driver = tmp / "driver.lua"
    driver.write_text(NVIM_DRIVER, encoding="utf-8")
    out = tmp / "nvim.out"
    result = subprocess.run(
        ["nvim", "--headless", "-u", str(init), "train.py", "-c", f"luafile {driver}"],
        cwd=root,
        env={**os.environ, "SEEDLINT_OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    return name, check(out, result)


def emacs(tmp: Path) -> tuple[str, str | None]:
    version = subprocess.run(["emacs", "--version"], capture_output=True, text=True).stdout
    name = version.splitlines()[0]
    root = project(tmp)
    snippet_file = tmp / "snippet.el"
    snippet_file.write_text(snippet("elisp", "Emacs with eglot"), encoding="utf-8")
    driver = tmp / "driver.el"
    driver.write_text(EMACS_DRIVER, encoding="utf-8")
    out = tmp / "emacs.out"
    env = {
        **os.environ,
        "SEEDLINT_OUT": str(out),
        "SEEDLINT_SNIPPET": str(snippet_file),
        "SEEDLINT_FILE": str(root / "train.py"),
        "HOME": str(tmp),  # no personal configuration
    }
    result = subprocess.run(
        ["emacs", "-Q", "--batch", "-l", str(driver)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    return name, check(out, result)


EDITORS = {"neovim": ("nvim", neovim), "emacs": ("emacs", emacs)}


def main(argv: list[str]) -> int:
    wanted = argv or list(EDITORS)
    if shutil.which("seedlint") is None:
        print("seedlint is not on PATH (activate the virtual environment)", file=sys.stderr)
        return 2
    failed = False
    for key in wanted:
        program, run = EDITORS[key]
        if shutil.which(program) is None:
            print(f"{key}: not installed")
            continue
        with tempfile.TemporaryDirectory(prefix=f"seedlint-{key}-") as folder:
            name, problem = run(Path(folder))
        print(f"{key} ({name}): {'ok' if problem is None else 'FAILED: ' + problem}")
        failed |= problem is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
