import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bool, int, lines, octalMode, parseOptions, words } from './options.js';

const schema = z.object({ flag: bool(false), on: bool(true), list: words(), rows: lines(), mode: octalMode(), n: int(8, { min: 1, max: 10 }) });

describe('buildout option helpers', () => {
  it('parse buildout-style strings', () => {
    expect(parseOptions(schema, 's', { flag: 'Yes', on: 'off', list: ' a  b\n c ', rows: ' x y \n\n z', mode: '0644', n: '3' })).toEqual({ flag: true, on: false, list: ['a', 'b', 'c'], rows: ['x y', 'z'], mode: 0o644, n: 3 });
    expect(parseOptions(schema, 's', {})).toEqual({ flag: false, on: true, list: [], rows: [], mode: undefined, n: 8 });
    for (const v of ['true', 'on', '1', 'TRUE']) expect(parseOptions(schema, 's', { flag: v }).flag).toBe(true);
    for (const v of ['false', 'no', '0', 'Off']) expect(parseOptions(schema, 's', { on: v }).on).toBe(false);
  });

  it('report every problem as [section] option: message', () => {
    expect(() => parseOptions(schema, 'part', { flag: 'maybe', mode: '8', n: '11' })).toThrow(
      ["Invalid options:", "  [part] flag: expected true or false (also yes/no, on/off, 1/0), got 'maybe'", "  [part] mode: expected an octal file mode such as 755 or 0644, got '8'", '  [part] n: expected an integer between 1 and 10, got 11'].join('\n'),
    );
    expect(() => parseOptions(schema, 'part', { n: 'x' })).toThrow("[part] n: expected an integer, got 'x'");
  });
});

describe('shape validators', () => {
  it('addresses: what waitress and ZConfig accept passes, the rest names the problem', async () => {
    const { checkAddress, checkAddresses } = await import('./options.js');
    for (const ok of ['127.0.0.1:8080', '[::1]:8080', 'localhost:8080', '0.0.0.0:1', 'zeo.example.org:65535', '[fe80::1%eth0]:80']) expect(checkAddress(ok), ok).toBeUndefined();
    expect(checkAddress('8080', { portOnly: true })).toBeUndefined();
    expect(checkAddress('*:8080', { wildcard: true })).toBeUndefined();
    expect(checkAddress('/var/run/zeo.sock', { unixSocket: true })).toBeUndefined();
    expect(checkAddresses('8080 [::]:8080', { portOnly: true })).toBeUndefined();
    const bad: Array<[string, RegExp]> = [
      ['127.0.0.1:99999', /port 99999 is out of range/],
      ['127.0.0.1:0', /port 0 is out of range/],
      ['notaport', /has no port/],
      ['127.0.0.1:http', /port "http" is not a number/],
      [':8080', /the host before ":" is empty/],
      ['::1:8080', /IPv6 host must be in brackets/],
      ['300.1.1.1:80', /not an IPv4 address/],
      ['*:8080', /"\*" is not a host here/],
      ['/tmp/sock', /has no port|not a host name/],
      ['bad host:80', /not a host name/],
    ];
    for (const [value, message] of bad) expect(checkAddress(value)?.message, value).toMatch(message);
    expect(checkAddress('notaport', { portOnly: true })?.message).toMatch(/neither a port nor host:port/);
    expect(checkAddresses('8080 127.0.0.1:99999', { portOnly: true })?.message).toMatch(/99999/);
    expect(checkAddresses('  ')?.message).toBe('no address given');
  });

  it('user, sizes, integers, booleans', async () => {
    const { checkUserPassword, checkByteSize, checkInteger, checkBoolean, BOOLEAN_WORDS } = await import('./options.js');
    expect(checkUserPassword('admin:se:cret')).toBeUndefined();
    expect(checkUserPassword('admin')?.message).toMatch(/no ":"/);
    expect(checkUserPassword(':secret')?.message).toMatch(/name before ":" is empty/);
    for (const ok of ['128MB', '1gb', '500 KB', '1048576']) expect(checkByteSize(ok), ok).toBeUndefined();
    for (const bad of ['1.5GB', 'lots', '128 MiB', '']) expect(checkByteSize(bad), bad).toBeDefined();
    expect(checkInteger('4', { min: 1 })).toBeUndefined();
    expect(checkInteger('0', { min: 1 })?.message).toBe('0 is out of range');
    expect(checkInteger('four')?.message).toMatch(/not a whole number/);
    expect(checkInteger('101', { min: 0, max: 100 })?.hint).toBe('a whole number between 0 and 100');
    expect(checkBoolean('On')).toBeUndefined();
    expect(checkBoolean('1')).toBeUndefined();
    expect(checkBoolean('1', BOOLEAN_WORDS.zconfig)?.message).toMatch(/not a boolean/);
    expect(checkBoolean('maybe')?.hint).toContain('true, yes, on, 1');
  });
});
