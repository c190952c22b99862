import { describe, expect, it } from 'vitest';
import { addressesClash, connectAddress, formatAddress, isLoopback, parseTcpAddress } from './net.js';

describe('TCP addresses', () => {
  it('parses host:port, [v6]:port, a bare port, *:port; not a unix socket', () => {
    expect(parseTcpAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseTcpAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseTcpAddress('8080', '')).toEqual({ host: '', port: 8080 });
    expect(parseTcpAddress('*:8080')).toEqual({ host: '', port: 8080 });
    expect(parseTcpAddress('0.0.0.0:8080')).toEqual({ host: '', port: 8080 });
    expect(parseTcpAddress('/var/zeo.sock')).toBeUndefined();
    expect(parseTcpAddress('localhost')).toBeUndefined();
  });

  it('clashes on the same port when the hosts are equal or one is every interface', () => {
    const a = (s: string) => parseTcpAddress(s, '')!;
    expect(addressesClash(a('127.0.0.1:80'), a('localhost:80'))).toBe(true);
    expect(addressesClash(a('127.0.0.1:80'), a('80'))).toBe(true);
    expect(addressesClash(a('127.0.0.1:80'), a('127.0.0.2:80'))).toBe(false);
    expect(addressesClash(a('127.0.0.1:80'), a('127.0.0.1:81'))).toBe(false);
  });

  it('formats for people and clients', () => {
    expect(formatAddress({ host: '', port: 1 })).toBe('0.0.0.0:1');
    expect(formatAddress({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(connectAddress({ host: '', port: 1 })).toBe('127.0.0.1:1');
    expect(isLoopback('127.0.0.5')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});
