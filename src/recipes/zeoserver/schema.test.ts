import { describe, expect, it } from 'vitest';
import { zeoSchema } from './schema.js';

const problems = (o: Record<string, string>) => {
  const r = zeoSchema.safeParse(o);
  return r.success ? [] : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
};

describe('plone.recipe.zeoserver option shapes', () => {
  it('accepts the addresses ZEO binds: port, host:port, [v6]:port, a unix socket', () => {
    for (const a of ['8100', '127.0.0.1:8100', '[::1]:8100', '/var/run/zeo.sock', 'localhost:8100']) expect(problems({ 'zeo-address': a }), a).toEqual([]);
  });

  it('rejects a bad address, size, number or boolean with the option named', () => {
    expect(problems({ 'zeo-address': '127.0.0.1:99999' })).toEqual(['zeo-address: address "127.0.0.1:99999": port 99999 is out of range (a port is a number between 1 and 65535)']);
    expect(problems({ 'zeo-address': '8100 8101' })[0]).toMatch(/^zeo-address: /);
    expect(problems({ 'invalidation-queue-size': 'many', 'read-only': '1', 'zeo-log-max-size': '1.5MB' }).map((p) => p.split(':')[0])).toEqual(['invalidation-queue-size', 'read-only', 'zeo-log-max-size']);
  });
});
