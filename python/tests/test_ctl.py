"""bin/instance's control logic (ctl.main, called as the generated script calls it)."""
from __future__ import annotations

import os
import re
import sys

import pytest
from conftest import free_port, write_ini

from buildout_ts_wsgi import ctl, status, usage

COMMANDS = ["fg", "foreground", "console", "start", "stop", "restart", "status", "kill", "logtail",
            "debug", "run", "adduser", "help"]


@pytest.fixture
def instance(tmp_path):
    ini = write_ini(tmp_path, "ours", free_port())
    settings = dict(part="instance", python=sys.executable, buildout_directory=str(tmp_path),
                    location=str(tmp_path / "parts" / "instance"), zope_conf=str(tmp_path / "zope.conf"),
                    wsgi_ini=ini, client_home=str(tmp_path / "var" / "instance"),
                    pid_file=str(tmp_path / "var" / "instance.pid"))

    def run(*argv):
        cwd = os.getcwd()
        try:
            return ctl.main(argv=list(argv), **settings)
        finally:
            os.chdir(cwd)

    run.settings = settings
    return run


def test_every_command_has_its_help(instance, capsys):
    for command in COMMANDS:
        for flag in ("--help", "-h"):
            assert instance(command, flag) == 0, command
            out = capsys.readouterr().out
            assert out.startswith("usage: "), (command, out)
            assert "%(" not in out
        assert instance("help", command) == 0
        assert capsys.readouterr().out.startswith("usage: ")
    # the list names every command
    assert instance("help") == 0
    listing = capsys.readouterr().out
    for command in COMMANDS:
        assert re.search(r"^  %s\b|, %s\b" % (command, command), listing, re.M), command


def test_help_of_fg_is_ours_not_the_launchers(instance, capsys):
    assert instance("fg", "--help") == 0
    out = capsys.readouterr().out
    assert "python -m buildout_ts_wsgi.serve" not in out
    assert "HUP restarts it in place" in out


def test_unknown_command_and_no_command(instance, capsys):
    assert instance("frobnicate") == 2
    assert "error: unknown command 'frobnicate'" in capsys.readouterr().err
    assert instance("help", "frobnicate") == 2
    assert "error: unknown command 'frobnicate'" in capsys.readouterr().err
    assert instance() == 2
    assert capsys.readouterr().err.startswith("usage: ")


def test_status_when_not_running_and_a_stale_pid_file(instance, capsys):
    assert instance("status") == 3
    assert capsys.readouterr().out == "program not running\n"
    # a pid file naming a live process that is not our server (a reused pid)
    os.makedirs(os.path.dirname(instance.settings["pid_file"]))
    with open(instance.settings["pid_file"], "w") as f:
        f.write("%d\n" % os.getpid())
    assert instance("status") == 3
    assert "is another program" in capsys.readouterr().out
    assert not os.path.exists(instance.settings["pid_file"])


def test_kill_with_an_unknown_signal_and_when_not_running(instance, capsys):
    assert instance("kill", "NOPE") == 2
    assert "unknown signal 'NOPE'" in capsys.readouterr().err
    assert instance("kill", "HUP") == 3


def test_an_operating_system_error_is_one_line(instance, capsys, tmp_path):
    # start cannot create its console log: var/ is a file here
    (tmp_path / "var").write_text("not a directory")
    assert instance("start") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write the console log: %s" % (tmp_path / "var"))
    assert err.count("\n") == 1 and "Traceback" not in err


def test_zope_commands_need_zope(instance, capsys):
    for argv in (["debug"], ["run", "script.py"], ["adduser", "admin", "secret"]):
        assert instance(*argv) == 2
        assert "`%s` needs Zope, and Zope is not installed" % argv[0] in capsys.readouterr().err


def test_status_describes_the_server_and_bjoerns_c_extension(tmp_path):
    ini = write_ini(tmp_path, "bjoern", 8080)
    lines = status.describe_server(ini, os.getpid())
    assert re.match(r"server: bjoern \d+\.\d+(\.\d+)? \(use = egg:dataflake\.wsgi\.bjoern#main\)$", lines[0])
    assert any("was not started with %s" % ini in line for line in lines)
    # pytest has not imported bjoern
    assert any("C extension is NOT loaded in process %d" % os.getpid() in line for line in lines)
    import bjoern  # noqa: F401  (maps the C extension into this process)

    lines = status.describe_server(ini, os.getpid())
    assert any(re.search(r"bjoern's C extension is loaded in process %d: .*/_bjoern[^/]*\.so$" % os.getpid(), line)
               for line in lines)


def test_status_names_the_server_module_of_each_use(tmp_path):
    for server, module in [("ours", "waitress"), ("waitress", "waitress"), ("cheroot", "cheroot"),
                           ("werkzeug", "werkzeug"), ("gunicorn", "gunicorn"), ("granian", "granian")]:
        line = status.describe_server(write_ini(tmp_path, server, 8080), os.getpid())[0]
        assert line.startswith("server: %s " % module), line


def test_every_command_of_the_usage_has_a_help_text():
    for command in COMMANDS:
        assert usage.command_help(command) is not None, command
