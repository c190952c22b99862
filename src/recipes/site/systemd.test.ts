import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../config/which.js';
import type { SiteComponents } from './hooks.js';
import { arg, renderUnits } from './systemd.js';

const ANALYZE = findOnPath('systemd-analyze', `${process.env.PATH}:/usr/bin:/bin`);

function site(dir: string): SiteComponents {
  return {
    zeo: [{ name: 'zeo', script: join(dir, 'bin', 'zeo'), address: '127.0.0.1:8100' }],
    instances: [1, 2].map((i) => ({ name: `instance${i}`, part: 'instance', script: join(dir, 'bin', `instance${i}`), connect: `127.0.0.1:808${i}`, pidFile: join(dir, 'var', `instance${i}.pid`), balancer: 'balancer' })),
    balancers: [{ name: 'balancer', script: join(dir, 'bin', 'balancer'), config: join(dir, 'parts', 'balancer', 'haproxy.cfg'), adminSocket: join(dir, 'var', 'balancer.sock'), pidFile: join(dir, 'var', 'balancer.pid'), backend: 'zope', servers: ['instance1', 'instance2'], haproxy: null }],
  };
}

const units = (dir: string, haproxy = '/usr/sbin/haproxy') =>
  renderUnits({ prefix: 'plone', description: `the site in ${dir}`, directory: dir, components: site(dir), haproxy: () => haproxy, user: 'plone', group: undefined, stopTimeout: 60 });

describe('systemd units of buildout-ts:site', () => {
  it('one service per ZEO server, instance and balancer, grouped by a target; instances after the ZEO server', () => {
    const u = units('/srv/site');
    expect(u.map((x) => x.name)).toEqual(['plone-zeo.service', 'plone-instance1.service', 'plone-instance2.service', 'plone-balancer.service', 'plone.target']);
    const inst = u[1]!.text.split('\n');
    for (const line of ['PartOf=plone.target', 'Wants=plone-zeo.service', 'After=plone-zeo.service', 'Type=exec', 'ExecStart=/srv/site/bin/instance1 console', 'ExecReload=/bin/kill -HUP $MAINPID', 'KillSignal=SIGTERM', 'KillMode=mixed', 'TimeoutStopSec=60', 'Restart=on-failure', 'WorkingDirectory=/srv/site', 'User=plone', 'WantedBy=plone.target']) {
      expect(inst, line).toContain(line);
    }
    expect(u[1]!.text).not.toContain('Requires=');
    const bal = u[3]!.text.split('\n');
    expect(bal).toContain('Type=notify');
    expect(bal).toContain('ExecStart=/usr/sbin/haproxy -Ws -f /srv/site/parts/balancer/haproxy.cfg -p /srv/site/var/balancer.pid');
    expect(bal).toContain('ExecReload=/bin/kill -USR2 $MAINPID');
    const target = u[4]!.text.split('\n');
    expect(target).toContain('Wants=plone-zeo.service plone-instance1.service plone-instance2.service plone-balancer.service');
    expect(target).toContain('WantedBy=multi-user.target');
  });

  it('keeps paths literal: %, $, spaces and quotes', () => {
    expect(arg('/srv/site/bin/instance')).toBe('/srv/site/bin/instance');
    expect(arg('/srv/my site/bin/x')).toBe('"/srv/my site/bin/x"');
    expect(arg('/srv/100%/$HOME/"q"')).toBe('"/srv/100%%/$$HOME/\\"q\\""');
  });

  it.skipIf(!ANALYZE)('the units pass systemd-analyze verify (skipped without systemd-analyze: scripts/install-system-deps.sh installs systemd)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'buildout-ts-units-'));
    try {
      mkdirSync(join(dir, 'bin'));
      for (const s of ['zeo', 'instance1', 'instance2', 'balancer']) {
        writeFileSync(join(dir, 'bin', s), '#!/bin/sh\n');
        chmodSync(join(dir, 'bin', s), 0o755);
      }
      const out = join(dir, 'units');
      mkdirSync(out);
      for (const u of units(dir, '/bin/true')) writeFileSync(join(out, u.name), u.text);
      const r = spawnSync(ANALYZE!, ['verify', '--man=no', ...units(dir).map((u) => join(out, u.name))], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      // it reports unknown keys and bad values as warnings, with status 0
      expect(r.stderr).toBe('');
      // and a missing program is an error
      rmSync(join(dir, 'bin', 'instance2'));
      const missing = spawnSync(ANALYZE!, ['verify', '--man=no', join(out, 'plone-instance2.service')], { encoding: 'utf8' });
      expect(missing.stderr).toMatch(/instance2 is not executable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
