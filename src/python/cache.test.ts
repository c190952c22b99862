import { describe, expect, it } from 'vitest';
import { installerCacheDir, packageCacheRoot, toolCacheDir } from './cache.js';
import { allowedHosts, hostAllowed } from './settings.js';
import { UV_VERSION, wheelFor } from './uv-program.js';

describe('the shared download cache', () => {
  const env = { XDG_CACHE_HOME: '/home/u/.cache' };
  it('download-cache first, then an eggs-directory of the user, else ours', () => {
    expect(packageCacheRoot({ directory: '/b', 'download-cache': '/home/u/.buildout/downloads', 'eggs-directory': '/home/u/.buildout/eggs' }, env)).toBe('/home/u/.buildout/downloads');
    expect(packageCacheRoot({ directory: '/b', 'eggs-directory': '/home/u/.buildout/eggs/v5' }, env)).toBe('/home/u/.buildout/eggs/v5');
    expect(packageCacheRoot({ directory: '/b', 'eggs-directory': '/b/eggs/v5' }, env)).toBe('/home/u/.cache/buildout-ts');
    expect(packageCacheRoot({ directory: '/b', 'eggs-directory': '/b/eggs/v5/cp311' }, env)).toBe('/home/u/.cache/buildout-ts');
    expect(installerCacheDir('/x', 'uv')).toBe('/x/uv-cache');
  });
  it('our cache: BUILDOUT_TS_CACHE_DIR, else XDG_CACHE_HOME/buildout-ts', () => {
    expect(toolCacheDir({ BUILDOUT_TS_CACHE_DIR: '/c', ...env })).toBe('/c');
    expect(toolCacheDir(env)).toBe('/home/u/.cache/buildout-ts');
  });
});

describe('allow-hosts', () => {
  it('fnmatch patterns on the host of URLs; local paths always pass', () => {
    const hosts = allowedHosts('*.python.org\n  pypi.example.com');
    expect(hostAllowed('https://pypi.python.org/simple', hosts)).toBe(true);
    expect(hostAllowed('https://pypi.example.com/simple', hosts)).toBe(true);
    expect(hostAllowed('https://evil.example.net/links', hosts)).toBe(false);
    expect(hostAllowed('/srv/wheels', hosts)).toBe(true);
    expect(allowedHosts('*')).toBeUndefined();
  });
});

describe('the pinned uv wheel', () => {
  it('one per platform, glibc and musl apart', () => {
    expect(wheelFor('linux', 'x64', true)!.name).toBe(`uv-${UV_VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`);
    expect(wheelFor('linux', 'x64', false)!.name).toBe(`uv-${UV_VERSION}-py3-none-musllinux_1_1_x86_64.whl`);
    expect(wheelFor('darwin', 'arm64', false)!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(wheelFor('aix', 'ppc64', false)).toBeUndefined();
  });
});
