"""Commands that distributions add to bin/instance (entrycmds): found through the entry points
of distributions on sys.path, as importlib.metadata finds installed ones."""
from __future__ import annotations

import sys

import pytest

from buildout_ts_wsgi import entrycmds
from buildout_ts_wsgi.errors import EXIT_CONFIG, LaunchError


def add_distribution(root, name, entry_points):
    info = root / ("%s-1.0.dist-info" % name.replace("-", "_"))
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name)
    (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_the_ctl_group_wins_over_zopectl_command_and_help_lists_each_name_once(site):
    add_distribution(site, "demo-ctl", "[plone.recipe.zope2instance.ctl]\nverify = demo_ctl:verify\n")
    add_distribution(site, "demo-zopectl", "[zopectl.command]\nverify = demo_zopectl:verify\nreindex = demo_zopectl:reindex\n")
    found = entrycmds.find("verify")
    assert (found.group, found.value) == (entrycmds.CTL_GROUP, "demo_ctl:verify")
    assert entrycmds.find("reindex").group == entrycmds.ZOPECTL_GROUP
    assert entrycmds.find("nosuch") is None
    listing = [line for line in entrycmds.listing() if line.split()[0] in ("verify", "reindex")]
    assert listing == ["reindex (demo-zopectl)", "verify (demo-ctl)"]


def test_one_name_added_by_two_distributions_is_refused_naming_both(site):
    add_distribution(site, "first-dist", "[zopectl.command]\nclash = first:run\n")
    add_distribution(site, "second-dist", "[zopectl.command]\nclash = second:run\n")
    with pytest.raises(LaunchError) as e:
        entrycmds.find("clash")
    assert e.value.exit_code == EXIT_CONFIG
    assert "first-dist, second-dist" in str(e.value)
    assert sys.path[0] == str(site)
