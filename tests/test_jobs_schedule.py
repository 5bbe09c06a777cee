"""The scheduling recipes in deploy/, run the way their schedulers run them: the crontab line by
`sh -c` with the crontab's variables, the systemd unit's ExecStart with its Environment= after
`systemd-analyze verify`. (Scrapyd's schedule.json: tests/test_scrapyd.py.)"""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import famreel_command
from tests.test_jobs_support import faulty_mirror, runs  # noqa: F401

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
CRON_FIELDS = re.compile(r"^(\S+\s+){5}(?P<command>.+)$")


def crontab(path: Path) -> tuple[dict[str, str], str]:
    """The crontab's variables and its one job's command."""
    variables, commands = {}, []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, _, value = line.partition("=")
            variables[name] = value
        else:
            commands.append(CRON_FIELDS.match(line).group("command"))
    (command,) = commands
    return variables, command


def scheduler_env(tmp_path, mirror, **variables):
    """What the scheduler would give the job, pointed at a test database and the mirror."""
    return {**variables, "PATH": f"{Path(famreel_command()[0]).parent}:{os.environ['PATH']}",
            "HOME": str(tmp_path), "FAMREEL_DB": f"sqlite:///{tmp_path / 'famreel.db'}",
            "FAMREEL_MIRROR": mirror, "FAMREEL_CRAWL_ARGS": "--site parenting"}


def test_crontab_line_runs_silently_and_reports_failures(tmp_path, faulty_mirror):  # noqa: F811
    variables, command = crontab(DEPLOY / "famreel.cron")
    assert variables["FAMREEL_DB"].startswith("sqlite:////")  # absolute, as cron needs
    env = scheduler_env(tmp_path, faulty_mirror.url, **variables)

    done = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True,
                          timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")  # nothing to mail
    assert "19 new reviews" in (tmp_path / "famreel-logs" / "crawl.log").read_text()
    assert runs(env["FAMREEL_DB"])[0].status == "finished"

    env["FAMREEL_CRAWL_ARGS"] = "--site nosuchsite"
    failed = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True,
                            timeout=120)
    assert "invalid choice: 'nosuchsite'" in failed.stdout  # the log's tail: cron mails it


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_timer_and_service_verify_and_run(tmp_path, faulty_mirror):  # noqa: F811
    verify = subprocess.run(["systemd-analyze", "verify", "famreel-crawl.service",
                             "famreel-crawl.timer"], cwd=DEPLOY, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    unit = (DEPLOY / "famreel-crawl.service").read_text()
    variables = dict(re.findall(r"^Environment=(\w+)=(.*)$", unit, re.MULTILINE))
    (exec_start,) = re.findall(r"^ExecStart=(.+)$", unit, re.MULTILINE)
    env = scheduler_env(tmp_path, faulty_mirror.url, **variables)
    # systemd splits "$VAR" on whitespace into arguments, as the shell does
    argv = [env[word[1:]] if word.startswith("$") else word for word in shlex.split(exec_start)]
    argv = [arg for word in argv for arg in word.split()]
    done = subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "checks: all" in done.stderr
    assert "OnCalendar=*-*-* 03:17:00" in (DEPLOY / "famreel-crawl.timer").read_text()
