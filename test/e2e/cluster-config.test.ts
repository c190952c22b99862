// A site's instances declared once (`instances = N` or a list of addresses) or one by one
// (`[instance2] <= instance1`), as the real CLI resolves them (annotate --json, check): each
// instance gets its own address and files, the balancer and the site see all of them, and a
// port used twice is an error naming both, at the file and line that set it. No Python needed.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const ZEO = `[zeo]
recipe = plone.recipe.zeoserver
zeo-address = 127.0.0.1:8100
`;
const INSTANCE = `recipe = plone.recipe.zope2instance
user = admin:admin
zeo-client = on
zeo-address = \${zeo:zeo-address}
eggs = Zope`;

function resolve(cfg: string): { code: number | null; sections: Record<string, Record<string, string>>; stderr: string } {
  const root = testdir({ 'buildout.cfg': cfg });
  const r = runCli(['annotate', '--json'], { cwd: root });
  const json = JSON.parse(r.stdout || '{}') as { sections?: Record<string, Record<string, string>>; error?: unknown };
  return { code: r.exitCode, sections: json.sections ?? {}, stderr: r.stderr + JSON.stringify(json.error ?? '') };
}

function check(cfg: string): { code: number | null; out: string; root: string } {
  const root = testdir({ 'buildout.cfg': cfg });
  const r = runCli(['check'], { cwd: root });
  return { code: r.exitCode, out: r.stdout + r.stderr, root };
}

describe('the instances of a site', () => {
  it('instances = 3: instance1..3 on their own ports and files; the balancer and the site list all three', () => {
    const { code, sections, stderr } = resolve(`[buildout]
parts = zeo instance balancer site
${ZEO}
[instance]
${INSTANCE}
instances = 3
http-address = 127.0.0.1:8081

[balancer]
recipe = buildout-ts:haproxy
instances = instance
bind = 127.0.0.1:8080

[site]
recipe = buildout-ts:site
`);
    expect(code, stderr).toBe(0);
    expect(sections.instance!['instance-names']).toBe('instance1 instance2 instance3');
    expect(sections.instance!['instance-addresses']).toBe('127.0.0.1:8081 127.0.0.1:8082 127.0.0.1:8083');
    expect(sections.balancer!.servers!.split('\n')).toEqual(['instance1 127.0.0.1:8081 maxconn 4', 'instance2 127.0.0.1:8082 maxconn 4', 'instance3 127.0.0.1:8083 maxconn 4']);
    const c = JSON.parse(sections.site!.components!) as { zeo: { name: string }[]; instances: Record<string, string>[]; balancers: { name: string; servers: string[] }[] };
    expect(c.zeo.map((z) => z.name)).toEqual(['zeo']);
    expect(c.balancers.map((b) => [b.name, b.servers])).toEqual([['balancer', ['instance1', 'instance2', 'instance3']]]);
    expect(c.instances.map((i) => [i.name, i.connect, i.balancer])).toEqual([
      ['instance1', '127.0.0.1:8081', 'balancer'],
      ['instance2', '127.0.0.1:8082', 'balancer'],
      ['instance3', '127.0.0.1:8083', 'balancer'],
    ]);
    const pids = c.instances.map((i) => i.pidFile!);
    const scripts = c.instances.map((i) => i.script!);
    expect(new Set(pids).size).toBe(3);
    expect(new Set(scripts).size).toBe(3);
    expect(scripts[1]).toMatch(/\/bin\/instance2$/);
  });

  it('[instance2] <= instance1 with its own port: distinct paths, the balancer sees both', () => {
    const { code, sections, stderr } = resolve(`[buildout]
parts = zeo instance1 instance2 balancer
${ZEO}
[instance1]
${INSTANCE}
http-address = 127.0.0.1:8081

[instance2]
<= instance1
http-address = 127.0.0.1:8082

[balancer]
recipe = buildout-ts:haproxy
instances = instance1 instance2
`);
    expect(code, stderr).toBe(0);
    expect(sections.instance1!.location).toMatch(/\/parts\/instance1$/);
    expect(sections.instance2!.location).toMatch(/\/parts\/instance2$/);
    expect(sections.instance2!['zope-conf']).toMatch(/\/parts\/instance2\/etc\/zope\.conf$/);
    expect(sections.balancer!.servers).toBe('instance1 127.0.0.1:8081 maxconn 4\ninstance2 127.0.0.1:8082 maxconn 4');
  });

  it('two instances on one port: an error naming both, at the line that set the port', () => {
    const { code, out } = check(`[buildout]
parts = zeo instance1 instance2 balancer
${ZEO}
[instance1]
${INSTANCE}
http-address = 127.0.0.1:8081

[instance2]
<= instance1

[balancer]
recipe = buildout-ts:haproxy
instances = instance1 instance2
`);
    expect(code).toBe(1);
    expect(out).toContain('buildout.cfg:13: [instance2] http-address: error: [instance1] (http-address 127.0.0.1:8081) and [instance2] (http-address 127.0.0.1:8081) would listen on the same port');
  });

  it('the balancer or the ZEO server on an instance port: an error naming both', () => {
    const bal = check(`[buildout]
parts = zeo instance balancer
${ZEO}
[instance]
${INSTANCE}
instances = 2
http-address = 127.0.0.1:8080

[balancer]
recipe = buildout-ts:haproxy
instances = instance
`);
    expect(bal.code).toBe(1);
    expect(bal.out).toMatch(/\[balancer\] bind: error: instance1 of \[instance\] \(http-address 127\.0\.0\.1:8080\) and \[balancer\] \(bind 127\.0\.0\.1:8080\) would listen on the same port/);

    const zeo = check(`[buildout]
parts = zeo instance site
${ZEO}
[instance]
${INSTANCE}
instances = 127.0.0.1:8099 0.0.0.0:8100

[site]
recipe = buildout-ts:site
`);
    expect(zeo.code).toBe(1);
    expect(zeo.out).toMatch(/\[instance\] instances: error: \[zeo\] \(zeo-address 127\.0\.0\.1:8100\) and instance2 of \[instance\] \(instances 0\.0\.0\.0:8100\) would listen on the same port/);
  });

  it('inconsistent declarations are errors on the option, before anything is built', () => {
    const cases: [string, RegExp][] = [
      ['instances = 127.0.0.1:8081 127.0.0.1:8082\nhttp-address = 8080', /\[instance\] http-address: error: instances lists the instances' addresses, and http-address sets one too/],
      ['instances = 2\npid-file = /tmp/one.pid', /\[instance\] pid-file: error: pid-file names one file for every instance/],
      ['instances = many', /\[instance\] instances: error: instances: "many" is neither a count nor an address/],
    ];
    for (const [extra, want] of cases) {
      const r = check(`[buildout]\nparts = zeo instance\n${ZEO}\n[instance]\n${INSTANCE}\n${extra}\n`);
      expect(r.code, extra).toBe(1);
      expect(r.out, extra).toMatch(want);
    }
    const clash = check(`[buildout]\nparts = zeo instance instance2\n${ZEO}\n[instance]\n${INSTANCE}\ninstances = 2\n\n[instance2]\n${INSTANCE}\n`);
    expect(clash.code).toBe(1);
    expect(clash.out).toMatch(/instances = 2 names this part's instances instance1…instance2, but \[instance2\] is a section of its own/);
  });

  it('the balancer needs its instances named; a stats page only on loopback', () => {
    const base = `[buildout]\nparts = zeo instance balancer\n${ZEO}\n[instance]\n${INSTANCE}\nhttp-address = 127.0.0.1:8081\n\n[balancer]\nrecipe = buildout-ts:haproxy\n`;
    const none = check(base);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/the option instances is missing: name the plone\.recipe\.zope2instance parts/);
    const wrong = check(`${base}instances = zeo\n`);
    expect(wrong.out).toMatch(/instances: \[zeo\] is not a plone\.recipe\.zope2instance part/);
    const stats = check(`${base}instances = instance\nstats-bind = 0.0.0.0:8404\n`);
    expect(stats.code).toBe(1);
    expect(stats.out).toMatch(/\[balancer\] stats-bind: error: stats-bind 0\.0\.0\.0:8404 is not a loopback address/);
  });
});

