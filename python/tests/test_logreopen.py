"""SIGUSR2 / `bin/instance logreopen`: the log files are opened again at their paths."""
from __future__ import annotations

import logging
import os
import signal
import time

from buildout_ts_wsgi import logreopen


def test_reopen_after_a_rotation_writes_to_a_new_file_at_the_path(tmp_path):
    path = tmp_path / "instance.log"
    handler = logging.FileHandler(path)
    logger = logging.getLogger("test-logreopen")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("before")
        os.rename(path, tmp_path / "instance.log.1")
        logger.info("still into the moved file")
        assert logreopen.reopen_log_files() >= 1
        logger.info("after")
        handler.flush()
        assert "before" in (tmp_path / "instance.log.1").read_text()
        assert "still into the moved file" in (tmp_path / "instance.log.1").read_text()
        assert (tmp_path / "instance.log").read_text() == "after\n"
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_sigusr2_reopens_for_single_process_servers_only(tmp_path):
    before = signal.getsignal(signal.SIGUSR2)
    path = tmp_path / "event.log"
    handler = logging.FileHandler(path)
    logger = logging.getLogger("test-logreopen-signal")
    logger.addHandler(handler)
    try:
        logreopen.install("gunicorn")
        assert signal.getsignal(signal.SIGUSR2) is before
        logreopen.install("waitress")
        os.rename(path, tmp_path / "event.log.1")
        os.kill(os.getpid(), signal.SIGUSR2)
        for _ in range(100):
            if path.exists():
                break
            time.sleep(0.02)
        assert path.exists()
    finally:
        signal.signal(signal.SIGUSR2, before)
        logger.removeHandler(handler)
        handler.close()
