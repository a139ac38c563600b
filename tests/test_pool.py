"""The worker pool (sitekit.runtime.pool): each task keeps its own outcome, a stuck worker is blamed
on its page, and the worker never outlives the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pooltasks
import pytest

from conftest import HANG, ROOT
from sitekit.core.diagnostics import DIAG
from sitekit.runtime import pool as pool_module
from sitekit.runtime.pool import Pool

#: The time limit of each task here (IOP_CHECK_SECONDS): a stuck chunk is given up after
#: tasks x LIMIT + GRACE seconds, so the tests wait for each time-out that long. The tasks that must
#: finish in time (pooltasks.double, pooltasks.fails) take microseconds, a thousandth of it even on a
#: busy machine; a worker's start (about 0.3 s under a load of 6 on 2 cores) falls in the GRACE. (A
#: build's IOP_CHECK_SECONDS is a whole number of seconds; the pool takes any number, as here.)
LIMIT = 0.25


#: The tasks of one pool, in the order they are submitted, with CHUNK = 4: the first goes alone (it
#: starts the worker), the next four travel in one chunk (a failing, a slow and a stuck check and a
#: good one), the four after them in a second chunk, sent while the worker is stuck in the first, and
#: the last in a third. (page, task, its arguments)
CALLS = [
    ("a.md", pooltasks.double, 1),
    ("fails.md", pooltasks.fails),
    ("slow.md", pooltasks.slow),
    ("stuck.md", pooltasks.stuck),
    ("b.md", pooltasks.double, 2),
    *[(f"after-{n}.md", pooltasks.double, n) for n in range(3, 8)],
]


@pytest.fixture(scope="module")
def stuck_run(tmp_path_factory):
    """CALLS run through one pool, once for both tests below (each waits for the same two time-outs:
    the stuck chunk's and the stuck task's alone): whether the pool took them, each page's result,
    and the findings."""
    folder = tmp_path_factory.mktemp("pool")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pool_module, "GRACE", 1)
        mp.setattr(pool_module, "CHUNK", 4)
        DIAG.reset(root=folder)
        pool = Pool({"IOP_CHECK_SECONDS": LIMIT, "IOP_WORKER_MIN_PAGES": 0, "PATH": str(folder)}, str(folder))
        try:
            tasks = [(page, pool.submit(fn, *args)) for page, fn, *args in CALLS]
            taken = all(task is not None for _page, task in tasks)
            results = {page: pool.result(task, page) for page, task in tasks}
        finally:
            pool.stop(kill=True)
    return taken, results, list(DIAG.findings)


def test_a_failing_a_slow_and_a_stuck_check_are_each_reported_for_their_own_page(stuck_run):
    taken, results, findings = stuck_run
    assert taken, "the pool is used"
    first = {page: results[page] for page in ("a.md", "fails.md", "slow.md", "stuck.md", "b.md")}
    assert first == {"a.md": 2, "fails.md": (), "slow.md": (), "stuck.md": (), "b.md": 4}
    found = {(os.path.basename(f.path), f.code): f.message for f in findings}
    assert set(found) == {("fails.md", "BUILD001"), ("slow.md", "BUILD002"), ("stuck.md", "BUILD002")}
    assert "RuntimeError: injected failure" in found[("fails.md", "BUILD001")]
    assert "in the worker process" in found[("fails.md", "BUILD001")]
    assert f"took longer than {LIMIT:g} s" in found[("slow.md", "BUILD002")]
    assert "did not finish it" in found[("stuck.md", "BUILD002")]


def test_tasks_after_a_stuck_one_in_other_chunks_are_still_checked(stuck_run):
    _taken, results, _findings = stuck_run
    assert {page: value for page, value in results.items() if page.startswith("after-")} == {
        f"after-{n}.md": 2 * n for n in range(3, 8)
    }


SLOW_PLUGIN = """
import time
from pathlib import Path

from pelican import signals


def slow(_generators):
    Path({marker!r}).touch()
    time.sleep(600)


def register():
    signals.all_generators_finalized.connect(slow)
"""


def children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.add(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def slow_build(site, **env):
    """A build (with a worker: IOP_WORKER_MIN_PAGES = 0) held in a plugin that sleeps after the lint."""
    marker = site.root / "sleeping"
    site.write("plugins_extra/slowdown/__init__.py", SLOW_PLUGIN.format(marker=str(marker)))
    settings = site.settings_file()
    settings.write_text(
        settings.read_text()
        + f"\nPLUGIN_PATHS = PLUGIN_PATHS + [{str(site.root / 'plugins_extra')!r}]\n"
        + "PLUGINS = PLUGINS[:-1] + ['slowdown', PLUGINS[-1]]\nIOP_WORKER_MIN_PAGES = 0\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitekit", "build", "-s", str(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=site.root,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin", **env},
    )
    deadline = time.monotonic() + HANG
    while not marker.exists():  # the build has checked the pages in its worker and now sleeps
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    return proc


def wait_gone(pids: set[int]) -> set[int]:
    """The pids that still run after a generous wait (each is polled until it is gone)."""
    deadline = time.monotonic() + HANG
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return {pid for pid in pids if running(pid)}


def test_the_worker_and_the_resource_tracker_leave_when_the_build_is_killed(site):
    """An out-of-memory kill or a CI time-out sends SIGKILL: nothing of the build may stay behind."""
    proc = slow_build(site)
    helpers = children(proc.pid)
    commands = {pid: open(f"/proc/{pid}/cmdline").read() for pid in helpers}
    assert any("spawn_main" in c for c in commands.values()), f"a worker was started: {commands}"
    assert any("resource_tracker" in c for c in commands.values()), f"and its resource tracker: {commands}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert wait_gone(helpers) == set()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_build_and_its_worker_and_keeps_the_output(site, sig):
    first = site.build()  # the output a stopped build must leave as it was
    assert first.code == 0, first.log
    before = (site.root / "output/index.html").read_bytes()
    proc = slow_build(site)
    helpers = children(proc.pid)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=120)  # long before the plugin's 600 s sleep ends
    assert proc.returncode == 130, err
    assert "BUILD003 the build was stopped" in err and "Traceback" not in err
    assert wait_gone(helpers) == set()
    assert (site.root / "output/index.html").read_bytes() == before
