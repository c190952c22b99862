import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '../../errors.js';
import { clashingMembers, instanceMembers } from './members.js';

const B = { directory: '/bd', 'bin-directory': '/bd/bin', 'parts-directory': '/bd/parts' };

function error(fn: () => unknown): { message: string; section?: string; option?: string; hint?: string } {
  try {
    fn();
  } catch (e) {
    if (isBuildoutError(e)) return { message: e.message, section: e.section, option: e.option, hint: e.hint };
    throw e;
  }
  throw new Error('no error');
}

describe('the instances of a zope2instance part', () => {
  it('a part without `instances` is one instance with the recipe defaults', () => {
    const [m, ...rest] = instanceMembers('instance', { 'http-address': '8080' }, B);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      name: 'instance',
      index: 0,
      address: { host: '', port: 8080 },
      connect: '127.0.0.1:8080',
      location: '/bd/parts/instance',
      controlScript: '/bd/bin/instance',
      clientHome: '/bd/var/instance',
      pidFile: '/bd/var/instance.pid',
      lockFile: '/bd/var/instance.lock',
      eventLog: '/bd/var/log/instance.log',
      accessLog: '/bd/var/log/instance-access.log',
    });
  });

  it('instances = 3 counts ports up from http-address; each instance gets its own name, paths and script', () => {
    const ms = instanceMembers('zope', { instances: '3', 'http-address': '127.0.0.1:8081', 'zeo-client-client': 'cache', threads: '2' }, B);
    expect(ms.map((m) => [m.name, m.options['http-address'], m.connect, m.controlScript, m.clientHome, m.pidFile, m.eventLog, m.location])).toEqual([
      ['zope1', '127.0.0.1:8081', '127.0.0.1:8081', '/bd/bin/zope1', '/bd/var/zope1', '/bd/var/zope1.pid', '/bd/var/log/zope1.log', '/bd/parts/zope1'],
      ['zope2', '127.0.0.1:8082', '127.0.0.1:8082', '/bd/bin/zope2', '/bd/var/zope2', '/bd/var/zope2.pid', '/bd/var/log/zope2.log', '/bd/parts/zope2'],
      ['zope3', '127.0.0.1:8083', '127.0.0.1:8083', '/bd/bin/zope3', '/bd/var/zope3', '/bd/var/zope3.pid', '/bd/var/log/zope3.log', '/bd/parts/zope3'],
    ]);
    // the persistent ZEO cache is one file per client; other options are shared
    expect(ms.map((m) => m.options['zeo-client-client'])).toEqual(['cache-1', 'cache-2', 'cache-3']);
    expect(ms.map((m) => m.options.threads)).toEqual(['2', '2', '2']);
    expect(ms.map((m) => m.options['zope-conf'])).toEqual(['/bd/parts/zope1/etc/zope.conf', '/bd/parts/zope2/etc/zope.conf', '/bd/parts/zope3/etc/zope.conf']);
    // zc.recipe.egg's default eggs stay the part's name
    expect(ms[0]!.options.eggs).toBe('zope');
    expect(ms.map((m) => m.options.instances)).toEqual([undefined, undefined, undefined]);
  });

  it('a bare base port means every interface; the count form without http-address starts at 8080', () => {
    expect(instanceMembers('i', { instances: '2', 'http-address': '9000' }, B).map((m) => m.options['http-address'])).toEqual(['0.0.0.0:9000', '0.0.0.0:9001']);
    expect(instanceMembers('i', { instances: '2' }, B).map((m) => m.connect)).toEqual(['127.0.0.1:8080', '127.0.0.1:8081']);
  });

  it('instances as a list of addresses: the ports are written there and nowhere else', () => {
    const ms = instanceMembers('i', { instances: '127.0.0.1:8081\n127.0.0.2:8081 9000', 'control-script': 'zope' }, B);
    expect(ms.map((m) => [m.options['http-address'], m.controlScript, m.addressOption])).toEqual([
      ['127.0.0.1:8081', '/bd/bin/zope1', 'instances'],
      ['127.0.0.2:8081', '/bd/bin/zope2', 'instances'],
      ['0.0.0.0:9000', '/bd/bin/zope3', 'instances'],
    ]);
    expect(error(() => instanceMembers('i', { instances: '127.0.0.1:8081 127.0.0.1:8082', 'http-address': '8080' }, B))).toMatchObject({
      section: 'i',
      option: 'http-address',
      message: expect.stringContaining('a port is set in one place only'),
    });
  });

  it('two instances of a list on one port: an error naming both', () => {
    expect(error(() => instanceMembers('i', { instances: '127.0.0.1:8081 8082 0.0.0.0:8081' }, B))).toMatchObject({
      section: 'i',
      option: 'instances',
      message: 'instances: i1 (127.0.0.1:8081) and i3 (0.0.0.0:8081) would listen on the same port',
    });
  });

  it('a path option of a part with instances would be shared: refused, naming the option', () => {
    for (const option of ['pid-file', 'client-home', 'event-log', 'z2-log', 'lock-file', 'zope-conf', 'wsgi']) {
      expect(error(() => instanceMembers('i', { instances: '2', [option]: '/srv/x' }, B)), option).toMatchObject({ section: 'i', option, message: expect.stringContaining('names one file for every instance') });
    }
    // disabling a log, the default zope.conf and wsgi = on are fine
    expect(instanceMembers('i', { instances: '2', 'event-log': 'disable', 'zope-conf': '/bd/parts/i/etc/zope.conf', wsgi: 'on' }, B)).toHaveLength(2);
  });

  it('a count out of range, a port beyond 65535 or several base addresses are errors on the option', () => {
    expect(error(() => instanceMembers('i', { instances: '0' }, B))).toMatchObject({ option: 'instances' });
    expect(error(() => instanceMembers('i', { instances: '101' }, B))).toMatchObject({ option: 'instances' });
    expect(error(() => instanceMembers('i', { instances: '3', 'http-address': '65534' }, B))).toMatchObject({ option: 'http-address', message: expect.stringContaining('beyond port 65535') });
    expect(error(() => instanceMembers('i', { instances: '2', 'http-address': '8080 8090' }, B))).toMatchObject({ option: 'http-address' });
    expect(error(() => instanceMembers('i', { instances: 'three' }, B))).toMatchObject({ option: 'instances', message: expect.stringContaining('neither a count nor an address') });
  });

  it('finds instances of several parts that clash', () => {
    const a = instanceMembers('a', { 'http-address': '127.0.0.1:8080' }, B);
    const b = instanceMembers('b', { instances: '2', 'http-address': '0.0.0.0:8079' }, B);
    expect(clashingMembers([...a, ...b])?.map((m) => m.name)).toEqual(['a', 'b2']);
    expect(clashingMembers(instanceMembers('c', { instances: '3' }, B))).toBeUndefined();
  });
});
