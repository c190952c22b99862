// plone.recipe.zeoserver through the real CLI: the files it writes, the scripts without ZEO
// (`eggs =`: they say what to add), and bin/zeo, bin/zeopack with a real ZEO from PyPI.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir, transformPaths } from '../helpers/testdir.js';
import { freePort, killFromPidFile, readPid, sleep, startProcess } from '../fixtures/instance/harness.js';

describe('plone.recipe.zeoserver install', () => {
  it('writes zeo.conf and the zeo, zeopack and repozo scripts', () => {
    const root = testdir();
    writeFileSync(
      join(root, 'buildout.cfg'),
      `[buildout]
parts = zeo

[zeo]
recipe = plone.recipe.zeoserver
eggs =
zeo-address = 127.0.0.1:8100
pack-days = 7
zeopack-script-name = pack-zeo
repozo =
`,
    );
    const r = runCli([], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(transformPaths(readFileSync(join(root, 'parts/zeo/etc/zeo.conf'), 'utf8'), root)).toMatchInlineSnapshot(`
      "%define INSTANCE <root>/parts/zeo

      <zeo>
        address 127.0.0.1:8100
        read-only false
        invalidation-queue-size 100
        pid-filename <root>/var/zeo.pid
        
        
      </zeo>

      <filestorage 1>
        path <root>/var/filestorage/Data.fs
        blob-dir <root>/var/blobstorage
        
        
      </filestorage>

      <eventlog>
        level info
        <logfile>
            path <root>/var/log/zeo.log
            format %(asctime)s %(message)s
            
          </logfile>
      </eventlog>

      <runner>
        program $INSTANCE/bin/runzeo
        socket-name <root>/var/zeo.zdsock
        daemon true
        forever false
        backoff-limit 10
        exit-codes 0, 2
        directory $INSTANCE
        default-to-interactive true
        

        # This logfile should match the one in the zeo.conf file.
        # It is used by zdctl's logtail command, zdrun/zdctl doesn't write it.
        logfile <root>/var/log/zeo.log
      </runner>


      "
    `);
    for (const s of ['bin/zeo', 'bin/pack-zeo', 'parts/zeo/bin/runzeo']) expect((statSync(join(root, s)).mode & 0o777).toString(8)).toBe('755');
    expect(() => statSync(join(root, 'bin/repozo'))).toThrow();
    // thin callers of our Python package, the part's settings as Python literals
    const pack = readFileSync(join(root, 'bin/pack-zeo'), 'utf8');
    expect(pack).toContain('buildout_ts_wsgi.zeoscripts.zeopack(\n        part="zeo",\n        host="127.0.0.1",\n        port="8100",\n        unix=None,\n        days="7",');
    for (const cmd of ['start', 'fg']) {
      const run = spawnSync(join(root, 'bin/zeo'), [cmd], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe("error: ZEO is not importable in this buildout's Python environment: add ZEO to the eggs of [zeo] (it brings ZODB) and run bin/buildout again\n");
    }
    const status = spawnSync(join(root, 'bin/zeo'), ['status'], { encoding: 'utf8' });
    expect([status.status, status.stdout]).toEqual([3, 'program not running\n']);
    const packed = spawnSync(join(root, 'bin/pack-zeo'), [], { encoding: 'utf8' });
    expect([packed.status, packed.stderr]).toEqual([2, "error: ZEO is not importable in this buildout's Python environment: add ZEO to the eggs of [zeo] (it brings ZODB) and run bin/buildout again\n"]);
  });
});

describe('bin/zeo and bin/zeopack with ZEO from PyPI', () => {
  it('start, status, zeopack, kill HUP (restart in place), stop; fg stops on SIGTERM; --help', async () => {
    const root = testdir();
    const port = await freePort();
    writeFileSync(join(root, 'buildout.cfg'), `[buildout]\nextends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}\nparts = zeo\n\n[zeo]\nrecipe = plone.recipe.zeoserver\nzeo-address = 127.0.0.1:${port}\npack-days = 0\n`);
    const r = runCli([], { cwd: root, timeoutMs: 600_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const zeo = (args: string[]) => spawnSync(join(root, 'bin/zeo'), args, { encoding: 'utf8', timeout: 90_000 });
    const pidFile = join(root, 'var', 'zeo.pid');
    try {
      const help = zeo(['start', '--help']);
      expect([help.status, help.stdout.split('\n')[0]]).toEqual([0, 'usage: zeo [--timeout SECONDS] COMMAND [ARGS]']);
      expect(readPid(pidFile)).toBeUndefined();

      const start = zeo(['start']);
      expect(start.status, start.stdout + start.stderr).toBe(0);
      const pid = readPid(pidFile)!;
      expect(start.stdout).toBe(`daemon process started, pid=${pid} (listening on 127.0.0.1:${port})\n`);
      expect(zeo(['status']).stdout).toBe(`program running; pid=${pid}\n`);

      const pack = spawnSync(join(root, 'bin/zeopack'), [], { encoding: 'utf8', timeout: 90_000 });
      expect(pack.status, pack.stderr).toBe(0);
      expect(pack.stdout).toBe(`packed storage 1 on 127.0.0.1:${port} (history older than 0 days removed)\n`);

      // HUP: runzeo would exit for zdaemon to restart it; ours restarts in place
      expect(zeo(['kill', 'HUP']).stdout).toBe(`signal SIGHUP sent to process ${pid} (the server restarts in place)\n`);
      const log = join(root, 'var', 'log', 'zeo.log');
      for (let i = 0; i < 200 && !/restarting in place \(SIGHUP\)[\s\S]*listening on/.test(readFileSync(log, 'utf8')); i++) await sleep(50);
      expect(readFileSync(log, 'utf8')).toMatch(/restarting in place \(SIGHUP\)[\s\S]*listening on/);
      expect(zeo(['status']).stdout).toBe(`program running; pid=${pid}\n`);
      expect(spawnSync(join(root, 'bin/zeopack'), [], { encoding: 'utf8', timeout: 90_000 }).status).toBe(0);

      const stop = zeo(['stop']);
      expect(stop.stdout).toMatch(new RegExp(`^daemon process stopped \\(pid ${pid}, SIGTERM, [\\d.]+ s\\)\n$`));
      expect(zeo(['status']).status).toBe(3);

      const listenedBefore = (readFileSync(log, 'utf8').match(/listening on/g) ?? []).length;
      const fg = startProcess(join(root, 'bin/zeo'), ['fg'], { cwd: root });
      for (let i = 0; i < 200 && readPid(pidFile) !== fg.pid; i++) await sleep(50);
      expect(readPid(pidFile)).toBe(fg.pid); // fg becomes the server
      // the signal once it serves (`bin/zeo start` returns only then too)
      const served = () => (readFileSync(log, 'utf8').match(/listening on/g) ?? []).length > listenedBefore;
      for (let i = 0; i < 400 && !served(); i++) await sleep(50);
      fg.child.kill('SIGTERM');
      const exit = await Promise.race([fg.exited, sleep(30_000).then(() => 'still running 30 s after SIGTERM')]);
      expect(exit, fg.output()).toEqual({ code: 0, signal: null });
      expect(readPid(pidFile)).toBeUndefined();
    } finally {
      await killFromPidFile(pidFile);
    }
  }, 300_000); // it builds the buildout too: a busy machine (the whole suite) took over 120 s once
});
