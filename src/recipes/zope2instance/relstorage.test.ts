import { describe, expect, it } from 'vitest';
import { instanceRequirements } from './index.js';
import { relStorageRequirements, relStorageWarnings, zopeConfHoldsPassword } from './relstorage.js';
import type { InstanceOptions } from './schema.js';

const PG = '\n  type postgresql\n  dbname zodb\n  user zodb\n  host 127.0.0.1\n  password secret';

describe('relStorageRequirements', () => {
  it('adds RelStorage and a driver that installs from wheels, for each type', () => {
    expect(relStorageRequirements(undefined, [])).toEqual([]);
    expect(relStorageRequirements('  ', [])).toEqual([]);
    expect(relStorageRequirements(PG, ['Zope'])).toEqual(['RelStorage', 'psycopg2-binary']);
    // postgresql is the recipe's default type
    expect(relStorageRequirements("dsn dbname='zodb'", [])).toEqual(['RelStorage', 'psycopg2-binary']);
    expect(relStorageRequirements('type mysql\ndb zodb', [])).toEqual(['RelStorage', 'PyMySQL']);
    expect(relStorageRequirements('type sqlite3\ndata-dir /tmp/db', [])).toEqual(['RelStorage']);
    expect(relStorageRequirements('type oracle\ndsn x', [])).toEqual(['RelStorage']);
  });

  it('adds nothing the eggs already name: RelStorage (any spelling, with extras), a driver, an extra that brings one', () => {
    expect(relStorageRequirements(PG, ['relstorage', 'psycopg2'])).toEqual([]);
    expect(relStorageRequirements(PG, ['RelStorage[postgresql]'])).toEqual([]);
    expect(relStorageRequirements(PG, ['RelStorage[mysql] >= 4'])).toEqual(['psycopg2-binary']);
    expect(relStorageRequirements(PG, ['Zope', 'pg8000==1.31'])).toEqual(['RelStorage']);
    expect(relStorageRequirements('type mysql', ['mysqlclient'])).toEqual(['RelStorage']);
  });

  it('is part of the instance requirements, after the eggs and the recipe own', () => {
    const o = { eggs: 'Plone\nRelStorage', 'rel-storage': PG } as InstanceOptions;
    expect(instanceRequirements('instance', o)).toEqual(['Plone', 'RelStorage', 'Zope', 'ZODB', 'ZEO', 'waitress', 'Paste', 'psycopg2-binary']);
    expect(instanceRequirements('instance', { eggs: 'Plone' } as InstanceOptions)).toEqual(['Plone', 'Zope', 'ZODB', 'ZEO', 'waitress', 'Paste']);
  });
});

describe('relStorageWarnings', () => {
  it('names the options the recipe ignores with rel-storage, and Plone without blob-dir', () => {
    expect(relStorageWarnings('instance', { 'blob-storage': 'var/blobs' }, true)).toEqual([]);
    expect(relStorageWarnings('instance', { 'rel-storage': PG, 'blob-storage': 'var/blobs', 'file-storage': 'x/Data.fs' }, false)).toEqual([
      '[instance] blob-storage has no effect with rel-storage (the recipe ignores it): write blob-dir (and shared-blob-dir) into rel-storage instead',
      '[instance] file-storage has no effect with rel-storage (the recipe ignores it)',
    ]);
    expect(relStorageWarnings('instance', { 'rel-storage': PG }, true)).toEqual([expect.stringContaining('rel-storage has no blob-dir: Plone stores files and images as blobs')]);
    expect(relStorageWarnings('instance', { 'rel-storage': `${PG}\n  blob-dir /srv/blobs` }, true)).toEqual([]);
  });
});

describe('zopeConfHoldsPassword', () => {
  it('is true for a rel-storage password (key or dsn) and a ZEO password', () => {
    expect(zopeConfHoldsPassword({})).toBe(false);
    expect(zopeConfHoldsPassword({ 'rel-storage': PG })).toBe(true);
    expect(zopeConfHoldsPassword({ 'rel-storage': "dsn dbname='zodb' password='x'" })).toBe(true);
    expect(zopeConfHoldsPassword({ 'rel-storage': "dsn dbname='zodb' user='zodb'" })).toBe(false);
    expect(zopeConfHoldsPassword({ 'rel-storage': 'type sqlite3\ndata-dir /tmp/db' })).toBe(false);
    expect(zopeConfHoldsPassword({ 'zeo-client': 'on', 'zeo-username': 'u', 'zeo-password': 'p' })).toBe(true);
  });
});
