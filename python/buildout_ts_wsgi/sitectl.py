"""The control logic behind a site's script `bin/<part>` (buildout-ts:site part): start, stop and
status of the ZEO servers, the Zope instances and the balancers in dependency order, and a
rolling restart of the instances behind the balancer.

Each component is driven through its own control script (bin/zeo, bin/instance1, bin/balancer:
their start waits until the server answers, their stop is graceful). The balancer is driven
through haproxy's runtime API (haproxyapi): an instance is drained (no new requests, the
running ones finish), restarted in place (SIGHUP: the launcher finishes the running requests,
then re-executes itself with the same pid -- which also works under systemd), and put back
once its health endpoint answers for the new process and haproxy's check sees it up.
"""
from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time

from . import haproxyapi
from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_NOT_RUNNING, EXIT_OK, LaunchError, run_command
from .health import health_path

USAGE = """usage: %(prog)s COMMAND [NAME ...]

The site [%(part)s]: %(summary)s.

commands:
  start [NAME...]           start the ZEO servers, then the instances, then the balancers
  stop [NAME...]            stop them in the reverse order
  restart [NAME...]         stop, then start
  status [NAME...]          the state of each (exit 0 when all run, 3 otherwise)
  rolling-restart [NAME...] restart the instances one at a time: out of the balancer
                            (running requests finish), restart, back once it answers
  help                      this text

NAME: a component (e.g. instance2); default: all of them.
"""

_COMMANDS = ("start", "stop", "restart", "status", "rolling-restart", "help")


class Site:
    def __init__(self, settings):
        self.s = settings
        c = settings["components"]
        self.zeo = c["zeo"]
        self.instances = c["instances"]
        self.balancers = {b["name"]: b for b in c["balancers"]}

    def groups(self):
        """Start order: [(kind, [component, ...]), ...]."""
        return [("zeo", self.zeo), ("instance", self.instances), ("balancer", list(self.balancers.values()))]

    def select(self, names):
        known = [c["name"] for _, group in self.groups() for c in group]
        for n in names:
            if n not in known:
                raise LaunchError("no component %r in this site (it has: %s)" % (n, ", ".join(known)))
        return [(kind, [c for c in group if not names or c["name"] in names]) for kind, group in self.groups()]

    # --- commands ---

    def do_start(self, names):
        failed = 0
        timeout = self.s["start_timeout"]
        args = ["start", "--timeout", str(timeout)]
        for kind, group in self.select(names):
            # Zope writes to the database while it starts (the root objects on an empty database,
            # the user of `inituser` while the user folder holds at most one): instances started
            # at the same moment can conflict, and the loser exits with a ConflictError. So the
            # first one starts alone, the others together, and one that lost starts again alone.
            batches = [group[:1], group[1:]] if kind == "instance" else [group]
            for batch in batches:
                for c, r in _run_all(batch, args, timeout + 30):
                    if kind == "instance" and r.returncode != 0 and "ConflictError" in r.stdout + r.stderr:
                        print("%s: its start conflicted with another instance's (ConflictError): starting it again" % c["name"])
                        r = _run(c, args, timeout + 30)
                    failed += _report(c, r)
        return EXIT_FAILED if failed else EXIT_OK

    def do_stop(self, names):
        failed = 0
        for kind, group in reversed(self.select(names)):
            timeout = self.s["stop_timeout"]
            for c, r in _run_all(group, ["stop", "--timeout", str(timeout)], timeout + 30):
                failed += _report(c, r)
        return EXIT_FAILED if failed else EXIT_OK

    def do_status(self, names):
        selected = [(kind, c) for kind, group in self.select(names) for c in group]
        results = dict((c["name"], r) for c, r in _run_all([c for _, c in selected], ["status"], 60))
        views = {}
        for b in self.balancers.values():
            try:
                views[b["name"]] = {s.name: s for s in haproxyapi.servers(b["adminSocket"], b["backend"])}
            except (LaunchError, OSError):
                views[b["name"]] = None
        all_running = True
        width = max([len(c["name"]) for _, c in selected] or [1])
        for kind, c in selected:
            r = results[c["name"]]
            running = r.returncode == 0
            all_running &= running
            pid = re.search(r"pid=(\d+)", r.stdout) if running else None
            state = "running (pid %s)" % pid.group(1) if pid else "running" if running else \
                "not running" if r.returncode == EXIT_NOT_RUNNING else "unknown (%s)" % (r.stdout + r.stderr).strip()[-200:]
            line = "%-*s  %-9s %s" % (width, c["name"], kind, state)
            if kind == "instance" and c.get("balancer"):
                view = views.get(c["balancer"])
                seen = view.get(c["name"]) if view else None
                line += "  [%s: %s]" % (c["balancer"], seen.status if seen else "not running" if view is None else "?")
            print(line)
        return EXIT_OK if all_running else EXIT_NOT_RUNNING

    def do_rolling_restart(self, names):
        for n in names:
            if n not in [i["name"] for i in self.instances]:
                raise LaunchError("rolling-restart restarts instances; %r is not one (instances: %s)"
                                  % (n, ", ".join(i["name"] for i in self.instances)))
        chosen = [i for i in self.instances if not names or i["name"] in names]
        started = time.monotonic()
        for inst in chosen:
            code = self.restart_one(inst)
            if code != EXIT_OK:
                print("rolling restart stopped at %s: the other instances were left alone" % inst["name"])
                return code
        print("rolling restart of %d instance(s) done in %.1f s" % (len(chosen), time.monotonic() - started))
        return EXIT_OK

    def restart_one(self, inst):
        name = inst["name"]
        t0 = time.monotonic()
        balancer = self.balancers.get(inst["balancer"]) if inst.get("balancer") else None
        if balancer is not None and not haproxyapi.answers(balancer["adminSocket"]):
            print("%s: the balancer %s is not running: restarting without draining" % (name, balancer["name"]))
            balancer = None
        if balancer is not None:
            self.check_others_up(balancer, name)
            haproxyapi.set_state(balancer["adminSocket"], balancer["backend"], name, "drain")
            busy = self.wait_drained(balancer, name)
            print("%s: out of the balancer%s" % (name, " (%d request(s) still running after %g s)" % (busy, self.s["drain_timeout"]) if busy else ""))
        try:
            before = _health(inst["connect"])
            if before is None:
                r = _run(inst, ["start", "--timeout", str(self.s["start_timeout"])], self.s["start_timeout"] + 30)
                if r.returncode != 0:
                    print("%s: start failed:\n%s" % (name, _indent(r.stdout + r.stderr)))
                    return EXIT_FAILED
            else:
                r = _run(inst, ["kill", "HUP"], 60)
                if r.returncode != 0:
                    print("%s: cannot signal it:\n%s" % (name, _indent(r.stdout + r.stderr)))
                    return EXIT_FAILED
                if not self.wait_new_process(inst, before):
                    print("%s: no answer from the restarted server within %g s; it stays out of the balancer"
                          % (name, self.s["start_timeout"]))
                    return EXIT_FAILED
            self.warm_up(inst)
        except BaseException:
            if balancer is not None:
                print("%s: left out of the balancer (drain); `bin/%s ready %s` puts it back" % (name, balancer["name"], name))
            raise
        if balancer is not None:
            haproxyapi.set_state(balancer["adminSocket"], balancer["backend"], name, "ready")
            if not self.wait_up(balancer, name):
                print("%s: back in the balancer, but its health check does not pass yet" % name)
                return EXIT_FAILED
        print("%s: restarted, serving again after %.1f s" % (name, time.monotonic() - t0))
        return EXIT_OK

    def check_others_up(self, balancer, name):
        # the others carry the load meanwhile: wait for a flapping check, refuse a dead instance
        deadline = time.monotonic() + self.s["drain_timeout"]
        while True:
            down = [s for s in haproxyapi.servers(balancer["adminSocket"], balancer["backend"]) if s.name != name and s.status != "UP"]
            if not down:
                return
            if time.monotonic() > deadline:
                raise LaunchError("%s: not taken out of the balancer: %s (a rolling restart needs the others to serve)"
                                  % (name, ", ".join("%s is %s" % (s.name, s.status) for s in down)), EXIT_FAILED)
            time.sleep(0.2)

    def wait_drained(self, balancer, name):
        deadline = time.monotonic() + self.s["drain_timeout"]
        while True:
            s = haproxyapi.server(balancer["adminSocket"], balancer["backend"], name)
            if s.sessions == 0 and s.queued == 0:
                return 0
            if time.monotonic() > deadline:
                return s.sessions
            time.sleep(0.1)

    def wait_new_process(self, inst, before):
        deadline = time.monotonic() + self.s["start_timeout"]
        while time.monotonic() < deadline:
            now = _health(inst["connect"])
            if now is not None and now != before and now.startswith("ok"):
                return True
            time.sleep(0.2)
        return False

    def warm_up(self, inst):
        for path in self.s["warmup"]:
            t0 = time.monotonic()
            status = _get(inst["connect"], path, timeout=self.s["start_timeout"])
            print("%s: warm-up GET %s: %s in %.1f s" % (inst["name"], path, status, time.monotonic() - t0))

    def wait_up(self, balancer, name, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if haproxyapi.server(balancer["adminSocket"], balancer["backend"], name).status == "UP":
                return True
            time.sleep(0.1)
        return False


def main(settings, argv=()):
    site = Site(settings)
    return run_command(_dispatch, site, argv, settings["part"])


def _dispatch(site, argv, prog):
    if not argv:
        sys.stderr.write(_usage(site, prog))
        return EXIT_CONFIG
    command, names = argv[0], argv[1:]
    if command in ("help", "-h", "--help") or "-h" in names or "--help" in names:
        print(_usage(site, prog), end="")
        return EXIT_OK
    if command not in _COMMANDS:
        raise LaunchError("unknown command %r (try `%s help`)" % (command, prog))
    if command == "start":
        return site.do_start(names)
    if command == "stop":
        return site.do_stop(names)
    if command == "restart":
        code = site.do_stop(names)
        return code if code != EXIT_OK else site.do_start(names)
    if command == "status":
        return site.do_status(names)
    return site.do_rolling_restart(names)


def _usage(site, prog):
    parts = []
    for kind, group in site.groups():
        if group:
            parts.append("%s %s" % (kind + ("s" if len(group) > 1 else ""), ", ".join(c["name"] for c in group)))
    return USAGE % {"prog": prog, "part": site.s["part"], "summary": "; ".join(parts) or "nothing"}


def _run(c, args, timeout):
    return subprocess.run([c["script"]] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


def _run_all(group, args, timeout):
    """Runs `script args` for every component at once; [(component, CompletedProcess)] in order."""
    procs = [(c, subprocess.Popen([c["script"]] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)) for c in group]
    out = []
    deadline = time.monotonic() + timeout
    for c, p in procs:
        try:
            stdout, stderr = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            stdout, stderr = p.communicate()
            stderr += "\n(no result within %g s)" % timeout
            p.returncode = EXIT_FAILED
        out.append((c, subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)))
    return out


def _report(c, r):
    text = (r.stdout + r.stderr).strip()
    lines = text.splitlines()
    print("%s: %s" % (c["name"], lines[0] if lines else "(no output)"))
    for line in lines[1:]:
        print("  " + line)
    return 0 if r.returncode == 0 else 1


def _health(connect):
    """The body of the instance's health endpoint (`ok started=...`), or None when it does not answer."""
    path = health_path()
    if not path:
        raise LaunchError("the rolling restart asks the instances' health endpoint, which $BUILDOUT_TS_HEALTH_PATH turns off")
    host, _, port = connect.rpartition(":")
    conn = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=2.0)
    try:
        conn.request("GET", path, headers={"User-Agent": "buildout-ts site control"})
        r = conn.getresponse()
        body = r.read().decode("utf-8", "replace").strip()
        return body if r.status in (200, 503) else None
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def _get(connect, path, timeout):
    host, _, port = connect.rpartition(":")
    conn = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers={"User-Agent": "buildout-ts site control (warm-up)"})
        r = conn.getresponse()
        r.read()
        return r.status
    except (OSError, http.client.HTTPException) as e:
        return "failed (%s)" % e
    finally:
        conn.close()


def _indent(text):
    return "\n".join("  " + line for line in text.strip().splitlines())
