"""bin/zeo (zeoctl), zeoserve and bin/zeopack without ZEO installed (the servers environment
has none): messages and exit codes. The real ZEO is tested end to end
(test/e2e/zope2instance-zeoserver.e2e.test.ts)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from conftest import child_env

from buildout_ts_wsgi import zeoctl, zeoscripts


@pytest.fixture
def zeo(tmp_path):
    settings = dict(part="zeo", python=sys.executable, zeo_conf=str(tmp_path / "parts" / "zeo" / "etc" / "zeo.conf"),
                    pid_file=str(tmp_path / "var" / "zeo.pid"), log_file=str(tmp_path / "var" / "log" / "zeo.log"),
                    address="127.0.0.1:8100")

    def run(*argv):
        return zeoctl.main(argv=list(argv), **settings)

    run.settings = settings
    return run


def test_help_and_usage(zeo, capsys):
    for argv in (["help"], ["--help"], ["-h"], ["start", "--help"], ["fg", "-h"], ["stop", "--help"]):
        assert zeo(*argv) == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: ") and "The ZEO server of the part [zeo]" in out
    assert zeo() == 2
    assert capsys.readouterr().err.startswith("usage: ")
    assert zeo("frobnicate") == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_start_and_fg_say_that_zeo_is_missing(zeo, capsys):
    for command in ("start", "fg"):
        assert zeo(command) == 2
        assert capsys.readouterr().err == ("error: ZEO is not importable in this buildout's Python environment: "
                                           "add ZEO to the eggs of [zeo] (it brings ZODB) and run bin/buildout again\n")


def test_status_stop_kill_when_not_running(zeo, capsys):
    assert zeo("status") == 3
    assert capsys.readouterr().out == "program not running\n"
    assert zeo("stop") == 0
    assert capsys.readouterr().out == "daemon process not running\n"
    assert zeo("kill", "USR2") == 3
    os.makedirs(os.path.dirname(zeo.settings["pid_file"]))
    with open(zeo.settings["pid_file"], "w") as f:
        f.write("%d\n" % os.getpid())  # pytest, not a ZEO server
    assert zeo("status") == 3
    assert "is not the ZEO server" in capsys.readouterr().out


def test_reachable_tcp_and_unix_addresses(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        assert zeoctl.reachable("127.0.0.1:%d" % port)
        assert zeoctl.reachable(":%d" % port)
    assert not zeoctl.reachable("127.0.0.1:%d" % port)
    assert not zeoctl.reachable(str(tmp_path / "zeo.sock"))
    (tmp_path / "zeo.sock").write_text("")
    assert zeoctl.reachable(str(tmp_path / "zeo.sock"))


def test_zeoserve_without_zeo_exits_2():
    r = subprocess.run([sys.executable, "-m", "buildout_ts_wsgi.zeoserve", "-C", "zeo.conf"],
                       capture_output=True, text=True, env=child_env())
    assert r.returncode == 2
    assert "ZEO is not importable" in r.stderr


def test_zeopack_options():
    assert zeoscripts.pack_options([], "1", None, "7") == ("1", None, 7)
    assert zeoscripts.pack_options(["-S", "2", "-B", "/b", "-D", "0", "-W"], "1", None, "7") == ("2", "/b", 0)
    with pytest.raises(ValueError, match="-D needs a number of days"):
        zeoscripts.pack_options(["-D", "soon"], "1", None, "7")
    assert zeoscripts.pack_address("h", "8100", None) == ("h", 8100)
    assert zeoscripts.pack_address(None, "8100", None) == ("127.0.0.1", 8100)
    assert zeoscripts.pack_address(None, None, "/var/zeo.sock") == "/var/zeo.sock"


def test_zeopack_help_bad_option_and_missing_zeo(capsys):
    assert zeoscripts.zeopack("zeo", host="127.0.0.1", port="8100", days="3", argv=["--help"]) == 0
    assert "removing history\nolder than 3 days" in capsys.readouterr().out
    assert zeoscripts.zeopack("zeo", port="8100", argv=["-X"]) == 2
    assert "error: option -X not recognized" in capsys.readouterr().err
    assert zeoscripts.zeopack("zeo", port="8100", argv=[]) == 2
    assert "ZEO is not importable" in capsys.readouterr().err
    assert zeoscripts.repozo("zeo", argv=[]) == 2
    assert "ZODB is not importable" in capsys.readouterr().err
