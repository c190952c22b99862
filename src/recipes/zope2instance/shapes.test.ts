import { describe, expect, it } from 'vitest';
import { checkShapes } from './shapes.js';

const options = (o: Record<string, string>) => checkShapes(o).map((p) => p.option);

describe('zope2instance option shapes', () => {
  it('accepts what the recipe and its readers accept', () => {
    expect(
      options({
        'http-address': '8080 [::1]:8080 *:8081 localhost:8082',
        'zeo-client': 'on',
        'zeo-address': '127.0.0.1:8100 /var/run/zeo.sock  8101',
        user: 'admin:a:b',
        'zeo-client-cache-size': '128MB',
        threads: '2',
        'zodb-cache-size': '',
        'debug-mode': 'on',
        'shared-blob': 'no',
        'clear-untrusted-proxy-headers': 'y',
      }),
    ).toEqual([]);
  });

  it('reports each bad option', () => {
    expect(options({ 'http-address': '127.0.0.1:99999', threads: 'x', 'zeo-client': 'maybe', 'read-only': '1', 'zeo-client-blob-cache-size-check': '101', user: 'admin' }).sort()).toEqual(
      ['http-address', 'read-only', 'threads', 'user', 'zeo-client', 'zeo-client-blob-cache-size-check'].sort(),
    );
    expect(options({ 'http-address': '' })).toEqual(['http-address']);
  });

  it('checks zeo-address only for a ZEO client, as the recipe reads it only then', () => {
    expect(options({ 'zeo-address': 'nope:x' })).toEqual([]);
    expect(options({ 'zeo-client': 'true', 'zeo-address': 'nope:x' })).toEqual(['zeo-address']);
  });
});
