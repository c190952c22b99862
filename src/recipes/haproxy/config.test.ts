import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../config/which.js';
import { parseOptions } from '../options.js';
import { renderHaproxyConfig } from './config.js';
import { haproxyOptionsSchema, haproxySchema } from './schema.js';

const HAPROXY = findOnPath('haproxy', `${process.env.PATH}:/usr/sbin`);

const computed = {
  location: '/bd/parts/balancer',
  'bin-directory': '/bd/bin',
  instances: 'instance',
  servers: 'instance1 127.0.0.1:8081 maxconn 4\ninstance2 127.0.0.1:8082 maxconn 2',
  backend: 'zope',
  config: '/bd/parts/balancer/haproxy.cfg',
  'admin-socket': '/bd/var/balancer.sock',
  'pid-file': '/bd/var/balancer.pid',
  'log-file': '/bd/var/log/balancer.log',
  'control-script': 'balancer',
  bind: '127.0.0.1:8080',
};
const render = (extra: Record<string, string> = {}) => renderHaproxyConfig({ part: 'balancer', directory: '/bd', options: parseOptions(haproxyOptionsSchema, 'balancer', { ...computed, ...extra }) });

describe('haproxy.cfg of buildout-ts:haproxy', () => {
  it('balances the instances with health checks on the launcher endpoint, passive checks, retries elsewhere for GET/HEAD only', () => {
    const { text } = render();
    const lines = text.split('\n');
    expect(lines).toContain('    stats socket /bd/var/balancer.sock mode 600 level admin expose-fd listeners');
    expect(lines).toContain('    bind 127.0.0.1:8080');
    expect(lines).toContain('    http-request deny deny_status 404 if { path /__health__ }');
    expect(lines).toContain('    balance leastconn');
    expect(lines).toContain('    http-check send meth GET uri /__health__ ver HTTP/1.1 hdr Host localhost');
    expect(lines).toContain('    default-server check inter 1s fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down');
    expect(lines).toContain('    server instance1 127.0.0.1:8081 maxconn 4');
    expect(lines).toContain('    server instance2 127.0.0.1:8082 maxconn 2');
    expect(lines).toContain('    option redispatch 1');
    expect(lines).toContain('    retry-on conn-failure empty-response');
    expect(lines).toContain('    http-request disable-l7-retry unless METH_GET || METH_HEAD');
    expect(lines).toContain('    timeout check 5s');
    expect(lines).toContain('    option idle-close-on-response');
    expect(text).not.toContain('listen stats');
  });

  it('the knobs: per-server maxconn, timeouts, checks, a stats page, free lines, passive checks and retries off', () => {
    const { text, sources } = render({
      'server-maxconn': '1',
      'timeout-server': '10m',
      'check-interval': '500ms',
      'check-fall': '2',
      'error-limit': '0',
      redispatch: 'off',
      'retry-on': 'none',
      'stats-bind': '127.0.0.1:8404',
      'backend-additional': 'http-request set-header X-Site plone',
    });
    const lines = text.split('\n');
    expect(lines).toContain('    server instance2 127.0.0.1:8082 maxconn 1');
    expect(lines).toContain('    timeout server 10m');
    expect(lines).toContain('    default-server check inter 500ms fall 2 rise 2');
    expect(text).not.toContain('redispatch');
    expect(text).not.toContain('retry-on');
    expect(lines).toContain('listen stats');
    expect(lines).toContain('    bind 127.0.0.1:8404');
    const extra = lines.indexOf('    http-request set-header X-Site plone');
    expect(extra).toBeGreaterThan(lines.indexOf('backend zope'));
    expect(sources[extra]).toBe('backend-additional');
    expect(sources[lines.indexOf('    timeout server 10m')]).toBe('timeout-server');
  });

  it('refuses bad knob values, naming the option', () => {
    expect(() => render({ 'timeout-client': 'forever' })).toThrow(/timeout-client: expected a time/);
    expect(() => render({ 'retry-on': 'conn-failure sometimes' })).toThrow(/retry-on: unknown retry-on keyword\(s\) sometimes/);
    expect(() => render({ balance: 'random-ish' })).toThrow(/balance/);
  });

  it.skipIf(!HAPROXY)('is a configuration haproxy accepts (haproxy -c), with and without the knobs (skipped without haproxy: scripts/install-system-deps.sh installs it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'buildout-ts-haproxy-'));
    try {
      const variants: Record<string, string>[] = [{}, { 'stats-bind': '127.0.0.1:8404', 'error-limit': '0', redispatch: 'off', 'retry-on': 'all-retryable-errors', balance: 'roundrobin' }];
      for (const extra of variants) {
        const file = join(dir, 'haproxy.cfg');
        writeFileSync(file, render({ ...extra, 'admin-socket': join(dir, 'admin.sock') }).text);
        const r = spawnSync(HAPROXY!, ['-c', '-f', file], { encoding: 'utf8' });
        expect(r.status, r.stdout + r.stderr).toBe(0);
        expect(r.stdout + r.stderr).not.toMatch(/WARNING|ALERT/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAPROXY)('the schema has haproxy check the configuration: a line it refuses is an error on the option it came from (skipped without haproxy)', () => {
    expect(parseOptions(haproxySchema, 'balancer', computed).haproxy).toBe(HAPROXY);
    expect(() => parseOptions(haproxySchema, 'balancer', { ...computed, 'backend-additional': 'option httpchk\nbogus-directive on' })).toThrow(
      /\[balancer\] backend-additional: haproxy -c refuses the generated configuration: .*unknown keyword 'bogus-directive' in 'backend' section/,
    );
    expect(() => parseOptions(haproxySchema, 'balancer', { ...computed, haproxy: '/nonexistent/haproxy' })).toThrow(/\[balancer\] haproxy: \/nonexistent\/haproxy is not an executable file/);
  });
});
