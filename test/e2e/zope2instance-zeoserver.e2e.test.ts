// plone.recipe.zeoserver through the real CLI (ZEO itself cannot be installed
// on these machines: `eggs =`, and the scripts must say that ZEO is missing).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir, transformPaths } from '../helpers/testdir.js';

describe('plone.recipe.zeoserver install', () => {
  it('writes zeo.conf and the zeo, zeopack and repozo scripts', () => {
    const root = testdir();
    writeFileSync(
      join(root, 'buildout.cfg'),
      `[buildout]
parts = zeo
executable = /usr/bin/python3

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
    const pack = readFileSync(join(root, 'bin/pack-zeo'), 'utf8');
    expect(pack).toContain('host = "127.0.0.1"\nport = "8100"\nunix = None\ndays = "7"');
    for (const cmd of ['start', 'fg']) {
      const run = spawnSync(join(root, 'bin/zeo'), [cmd], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('ZEO is not importable');
    }
    const status = spawnSync(join(root, 'bin/zeo'), ['status'], { encoding: 'utf8' });
    expect([status.status, status.stdout]).toEqual([3, 'daemon manager not running\n']);
  });
});
