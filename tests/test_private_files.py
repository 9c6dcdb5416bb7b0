"""Private by construction: every temporary path genreport makes (LibreOffice runs, web requests) is for its own
account only — folders 0700 inside a per-user root whose owner is verified, files 0600 — and another account
(`nobody`, when the tests run as root) can read none of them while a PDF is being made."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import genreport.pdf as pdf
from genreport import private
from genreport.errors import GenreportError

REAL_OFFICE = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) not installed")
NOBODY = 65534
#: Run as `nobody`: try to open every path given and print "<outcome> <path>" (ok / denied / missing).
PROBE = """
import os, sys
for path in sys.argv[1:]:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
        print("ok", path)
    except PermissionError:
        print("denied", path)
    except OSError:
        print("missing", path)
"""


@pytest.fixture
def shared_temp(monkeypatch, tmp_path_factory):
    """A temporary folder every account can enter (like /tmp: 1777), used as genreport's TMPDIR."""
    tmp_path_factory.getbasetemp()  # pytest's own folder stays where it is
    folder = Path(tempfile.mkdtemp(prefix="genreport-shared-", dir="/tmp" if os.path.isdir("/tmp") else None))
    folder.chmod(0o1777)
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _tree(root: Path) -> dict[Path, int]:
    """Return every path under root (root included) with its mode; paths that vanish meanwhile are skipped."""
    found = {}
    for path in [root, *root.rglob("*")]:
        try:
            found[path] = os.lstat(path).st_mode
        except OSError:
            pass
    return found


def _open_to_others(tree: dict[Path, int]) -> list[str]:
    return [f"{oct(stat.S_IMODE(mode))} {path}" for path, mode in tree.items()
            if stat.S_IMODE(mode) & 0o077 and not stat.S_ISLNK(mode)]


def _as_nobody(paths: list[Path]) -> dict[str, str] | None:
    """Return {path: outcome} of reading each path as `nobody`, None when that cannot be done here."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    done = subprocess.run([setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable,
                           "-I", "-c", PROBE, *map(str, paths)], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        return None
    return {line.split(" ", 1)[1]: line.split(" ", 1)[0] for line in done.stdout.splitlines()}


def _watch_while(run: subprocess.Popen, root: Path, wanted: str, seconds: float = 240) -> dict[Path, int]:
    """Return the tree under root at the moment a file named wanted appears in it (while run is working)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and run.poll() is None:
        tree = _tree(root) if root.is_dir() else {}
        if any(path.name == wanted for path in tree):
            return tree
        time.sleep(0.05)
    raise AssertionError(f"no {wanted} appeared under {root} while genreport ran")


def _assert_private(tree: dict[Path, int], secret: str) -> None:
    assert _open_to_others(tree) == []
    root = min(tree, key=lambda p: len(p.parts))
    assert stat.S_IMODE(tree[root]) == 0o700 and os.stat(root).st_uid == os.getuid()
    seen = _as_nobody(sorted(tree))
    if seen is None:
        return  # modes checked; no unprivileged account to try with here
    secrets = [path for path in tree if path.name == secret]
    assert secrets and all(seen[str(path)] == "denied" for path in secrets), seen
    assert "ok" not in seen.values(), seen


# ---- the per-user root -------------------------------------------------------------------------------


def test_the_root_is_made_private_and_each_folder_inside_it_too(shared_temp):
    folder = private.private_folder("test")
    root = folder.parent
    assert root == shared_temp / f"genreport-{os.getuid()}"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.name.startswith(f"test-{os.getpid()}-")
    fd = private.create(folder / "a.docx")
    os.close(fd)
    assert stat.S_IMODE((folder / "a.docx").stat().st_mode) == 0o600


def test_a_root_loosened_by_mistake_is_made_private_again(shared_temp):
    root = private.user_root()
    root.chmod(0o755)
    assert stat.S_IMODE(private.user_root().stat().st_mode) == 0o700


def test_a_root_that_is_a_link_is_refused(shared_temp, tmp_path):
    (shared_temp / f"genreport-{os.getuid()}").symlink_to(tmp_path)
    with pytest.raises(GenreportError, match="不属于当前用户") as refused:
        private.private_folder("test")
    assert "TMPDIR" in str(refused.value)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another account needs root")
def test_a_root_another_account_made_first_is_refused(shared_temp):
    squatted = shared_temp / f"genreport-{os.getuid()}"
    squatted.mkdir(mode=0o777)
    os.chown(squatted, NOBODY, NOBODY)
    with pytest.raises(GenreportError, match="不属于当前用户"):
        private.private_folder("test")
    assert list(squatted.iterdir()) == []


def test_folders_of_processes_that_are_gone_are_swept_and_others_kept(shared_temp):
    root = private.user_root()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = root / f"office-{gone.pid}-abcd"
    mine = private.private_folder("web")
    other = root / "notes"
    for folder in (stale, other):
        folder.mkdir()
    assert private.sweep_stale() == [stale]
    assert not stale.exists() and mine.is_dir() and other.is_dir()


# ---- the verbs' own temporary folders ------------------------------------------------------------------


def _watch(monkeypatch, owner, name: str, folder_of) -> list[tuple[Path, dict[Path, int]]]:
    """Wrap owner.name so that each call records (the temporary folder it works in, the private root's tree then)."""
    function, seen = getattr(owner, name), []

    def watched(*args, **options):
        seen.append((folder_of(*args, **options), _tree(private.root_path())))
        return function(*args, **options)

    monkeypatch.setattr(owner, name, watched)
    return seen


def _assert_worked_privately(seen: list[tuple[Path, dict[Path, int]]], kind: str) -> None:
    """Assert that each recorded folder was <kind>-<this pid>-… in the private root, 0700, and is gone now."""
    assert seen, f"no {kind} folder was used"
    for folder, tree in seen:
        assert folder.parent == private.root_path() and folder.name.startswith(f"{kind}-")
        assert private.owner_pid(folder) == os.getpid()  # a killed run's folder is the next start's to remove
        assert _open_to_others(tree) == [] and stat.S_IMODE(tree[folder]) == 0o700
        assert not folder.exists()


def _left_by_a_killed_run(kind: str) -> Path:
    """Return a folder <kind>-<pid>-… in the private root whose process is gone (as a killed genreport leaves)."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    folder = private.make_folder(private.user_root() / f"{kind}-{gone.pid}-abcd1234")
    (folder / "generated.docx").write_bytes(b"half written")
    return folder


def test_template_keys_renders_the_sample_in_a_private_folder_swept_if_killed(shared_temp, monkeypatch):
    import genreport.api as api
    from _hostile import run_cli

    seen = _watch(monkeypatch, api, "generate_report", lambda source, output, **options: Path(output))
    result = run_cli("template", "keys")
    assert result.code == 0 and "段落编号" in result.out, result.text
    _assert_worked_privately(seen, "keys")


def test_absorb_compares_in_a_private_folder_and_sweeps_a_killed_runs(shared_temp, tmp_path, monkeypatch):
    import genreport.render as render
    from _hostile import run_cli
    from absorb_support import keyed, open_document, set_split
    from conftest import SAMPLE

    workbook = Path(shutil.copy(SAMPLE, tmp_path / "工作簿.xlsx"))
    assert run_cli(workbook, "-o", tmp_path / "报告.docx").code in (0, 1)
    document = open_document(tmp_path / "报告.docx")
    set_split(keyed(document, "s1"), "编辑改写的第一段。")
    document.save(str(tmp_path / "编辑后.docx"))
    stale = _left_by_a_killed_run("absorb")

    seen = _watch(monkeypatch, render, "render_report", lambda template, workbook, figures, profile, output, *rest,
                  **options: Path(output).parent)
    result = run_cli("absorb", tmp_path / "编辑后.docx", workbook)
    assert result.code in (0, 1) and "工作簿.已吸收.xlsx" in result.out, result.text
    assert not stale.exists()
    _assert_worked_privately(seen, "absorb")


def test_checking_a_publication_reads_it_in_private_folders(shared_temp, tmp_path, monkeypatch):
    import genreport.publication.audit as audit
    import genreport.publication.read as read
    from _hostile import run_cli
    from conftest import SAMPLE

    assert run_cli(SAMPLE, "-o", tmp_path / "公开报告.docx").code in (0, 1)
    reading = _watch(monkeypatch, read, "read_inputs", lambda document, imported, folder: Path(folder))
    auditing = _watch(monkeypatch, audit, "write_imported", lambda imported, target: Path(target).parent)
    result = run_cli("check", tmp_path / "公开报告.docx")
    assert result.code in (0, 1) and "公开报告.docx" in result.text, result.text
    _assert_worked_privately(reading, "publication")
    _assert_worked_privately(auditing, "audit")

    auditing.clear()  # next year's workbook prefilled from the publication: imported, then read back
    result = run_cli("init", "-o", tmp_path / "下年.xlsx", "--from", tmp_path / "公开报告.docx")
    assert result.code == 0 and (tmp_path / "下年.xlsx").is_file(), result.text
    _assert_worked_privately(auditing, "lastyear")


# ---- during a PDF conversion -------------------------------------------------------------------------


@REAL_OFFICE
@pytest.mark.slow
def test_no_path_made_during_a_cli_pdf_conversion_is_readable_by_another_account(sample_path, tmp_path, shared_temp):
    env = {**os.environ, "TMPDIR": str(shared_temp)}
    run = subprocess.Popen([sys.executable, "-m", "genreport", str(sample_path), "-o", str(tmp_path / "out"), "--pdf"],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        tree = _watch_while(run, private.root_path(), "report.docx")
        _assert_private(tree, "report.docx")
    finally:
        _, err = run.communicate(timeout=300)
    assert run.returncode in (0, 1), err.decode()
    assert list((tmp_path / "out").glob("*.pdf"))


@REAL_OFFICE
@pytest.mark.slow
def test_no_path_made_while_the_web_page_makes_a_pdf_is_readable_by_another_account(sample_path, tmp_path,
                                                                                     shared_temp):
    httpx = pytest.importorskip("httpx")
    from test_web_server import free_port

    port = free_port()
    env = {**os.environ, "TMPDIR": str(shared_temp)}
    serve = subprocess.Popen([sys.executable, "-m", "genreport", "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(lambda: httpx.get(url, timeout=2).status_code == 200)
        import threading

        answers = []
        files = {"file": ("单位.xlsx", sample_path.read_bytes())}
        post = threading.Thread(target=lambda: answers.append(httpx.post(
            f"{url}/api/generate", data={"format": "pdf"}, files=files, headers={"x-genreport": "1"}, timeout=300)))
        post.start()
        tree = _watch_while(serve, private.root_path(), "report.docx")
        post.join(300)
        assert answers and answers[0].status_code == 200 and answers[0].content.startswith(b"%PDF")
        _assert_private(tree, "report.docx")
        assert any(path.name.startswith("wb-") for path in tree)  # the upload was there too, and private
    finally:
        serve.terminate()
        serve.wait(30)


def _wait_for(ready, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.2)
    raise AssertionError("not ready in time")
