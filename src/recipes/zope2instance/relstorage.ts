// What `rel-storage` needs installed (pure): RelStorage itself and a database driver for its
// `type`, unless `eggs` already names them. The Python recipe installs neither (its users add
// `RelStorage[postgresql]` to eggs); zope.conf's `%import relstorage` fails at start without.
import { normaliseName } from '../../python/requirements.js';
import { relStorageEntries } from './rules.js';

/**
 * Drivers RelStorage's adapters accept, per `type`, and the one we add when none is named:
 * psycopg2-binary and PyMySQL install from PyPI wheels (psycopg2 and mysqlclient compile against
 * libpq/libmysqlclient headers). Oracle's cx_Oracle needs Oracle's client: never added.
 */
const DRIVERS: Record<string, { known: string[]; add?: string }> = {
  postgresql: { known: ['psycopg2', 'psycopg2-binary', 'psycopg2cffi', 'pg8000'], add: 'psycopg2-binary' },
  mysql: { known: ['mysqlclient', 'PyMySQL', 'mysql-connector-python'], add: 'PyMySQL' },
  oracle: { known: ['cx_Oracle', 'oracledb'] },
  sqlite3: { known: [] },
};

/** The RelStorage adapter section `rel-storage` selects (the recipe's default: postgresql). */
export function relStorageType(value: string): string {
  return relStorageEntries(value).get('type') ?? 'postgresql';
}

/** Requirements `rel-storage` adds to the part (empty without it). */
export function relStorageRequirements(value: string | undefined, eggs: readonly string[]): string[] {
  if (!value?.trim()) return [];
  const type = relStorageType(value);
  const named = new Map<string, string[]>();
  for (const egg of eggs) {
    const m = /^([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?/.exec(egg.trim());
    if (m) named.set(normaliseName(m[1]!), (m[2] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean));
  }
  const out: string[] = [];
  const relExtras = named.get('relstorage');
  if (relExtras === undefined) out.push('RelStorage');
  const drivers = DRIVERS[type];
  // RelStorage[postgresql] (or [mysql]) brings its own driver
  const hasDriver = !drivers || relExtras?.includes(type) || drivers.known.some((d) => named.has(normaliseName(d)));
  if (drivers?.add && !hasDriver) out.push(drivers.add);
  return out;
}

/** Warnings for `rel-storage` next to options the recipe ignores with it, and Plone without blobs. */
export function relStorageWarnings(part: string, options: Readonly<Record<string, string | undefined>>, hasCMFPlone: boolean): string[] {
  const value = options['rel-storage'];
  if (!value?.trim()) return [];
  const entries = relStorageEntries(value);
  const out: string[] = [];
  for (const key of ['blob-storage', 'file-storage', 'shared-blob', 'zlib-storage']) {
    if (options[key] !== undefined) {
      const instead = key === 'blob-storage' || key === 'shared-blob' ? ': write blob-dir (and shared-blob-dir) into rel-storage instead' : '';
      out.push(`[${part}] ${key} has no effect with rel-storage (the recipe ignores it)${instead}`);
    }
  }
  if (hasCMFPlone && !entries.has('blob-dir')) {
    out.push(`[${part}] rel-storage has no blob-dir: Plone stores files and images as blobs and fails to save them; add "blob-dir \${buildout:directory}/var/blobcache" and "shared-blob-dir false" to rel-storage`);
  }
  return out;
}

/** Whether zope.conf will hold a database password (rel-storage's, or ZEO's): then only its owner may read it. */
export function zopeConfHoldsPassword(options: Readonly<Record<string, string | undefined>>): boolean {
  if (options['zeo-password']) return true;
  const value = options['rel-storage'];
  if (!value?.trim()) return false;
  const entries = relStorageEntries(value);
  return entries.has('password') || /\bpassword\s*=/.test(entries.get('dsn') ?? '') || [...entries.keys()].some((k) => /passw/.test(k));
}
