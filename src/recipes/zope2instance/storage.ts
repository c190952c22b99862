// The storage snippet inside `<zodb_db main>` of zope.conf (pure). The
// indentation mirrors the Python recipe byte for byte: empty lines are
// dropped from zope.conf afterwards, so only non-empty lines matter.
import { BuildoutError } from '../../errors.js';
import { pyDirname, pyJoin, indent } from './paths.js';
import { formatPositional, PyFormatError } from './pyformat.js';
import { isDemoStorage, isZeoClient, relStorageEntries } from './rules.js';

export interface DirToCreate {
  path: string;
  /** 0o700 for blob directories (ZODB warns about wider permissions) */
  mode?: number;
}

export interface StorageInput {
  part: string;
  options: Readonly<Record<string, string | undefined>>;
  buildoutDirectory: string;
  varDir: string;
}

export interface StorageResult {
  snippet: string;
  /** directories the recipe creates as a side effect, in order */
  dirs: DirToCreate[];
}

/** Builds the storage snippet following the recipe's decision table (spec (f)). */
export function buildStorageSnippet(input: StorageInput): StorageResult {
  const { options: o, buildoutDirectory: baseDir, varDir, part } = input;
  const dirs: DirToCreate[] = [];
  const zeo = isZeoClient(o);
  const sharedBlob = o['shared-blob'] ?? 'no';
  const before = o['before-storage'];
  const demo = isDemoStorage(o);
  const zlib = o['zlib-storage'];

  let defaultBlob: string | undefined = pyJoin(varDir, 'blobstorage');
  // a ZEO client without a shared blob dir only keeps a cache
  if (zeo && sharedBlob === 'no') defaultBlob = pyJoin(varDir, 'blobcache');
  if (demo && !before) defaultBlob = undefined;
  const blobStorage = o['blob-storage'] ?? defaultBlob;
  const fileStorage = o['file-storage'] ?? 'filestorage/Data.fs';

  const renderFile = (fs: string | undefined, blob: string | undefined): string => renderFileStorage(fs, blob, baseDir, varDir, zlib, dirs, part);

  let fileSnippet: string;
  const rel = o['rel-storage'];
  if (rel) fileSnippet = renderRelStorage(rel, part);
  // rendered even for ZEO (then discarded): its directories are still created
  else fileSnippet = renderFile(fileStorage, blobStorage);

  let snippet: string;
  if (zeo) snippet = renderZeoClient(o, blobStorage, sharedBlob);
  else snippet = fileSnippet;

  if (before) {
    snippet = `\n    %import zc.beforestorage\n    # BeforeStorage\n    <before>\n      before ${before}\n  ${indent(snippet, 2)}\n    </before>\n`;
  }
  if (demo) {
    const demoFile = o['demo-file-storage'];
    const demoBlob = o['demo-blob-storage'];
    if (demoFile || demoBlob) {
      const base = snippet.replace('>', ' base>');
      const changes = renderFile(demoFile, demoBlob).replace('>', ' changes>');
      snippet = `\n    # DemoStorage\n    <demostorage>\n${base}\n${changes}\n    </demostorage>\n`;
    } else {
      snippet = `\n    # DemoStorage\n    <demostorage>\n${snippet}\n    </demostorage>\n`;
    }
  }
  const wrapper = o['storage-wrapper'];
  if (wrapper) {
    try {
      snippet = indent(formatPositional(wrapper, [snippet]), 4);
    } catch (e) {
      if (!(e instanceof PyFormatError)) throw e;
      throw new BuildoutError('UserError', `storage-wrapper: ${e.message}`, { section: part, option: 'storage-wrapper', hint: 'the wrapper must contain exactly one %s where the storage goes (write %% for a literal %)' });
    }
  }
  return { snippet, dirs };
}

function renderFileStorage(fileStorage: string | undefined, blobStorage: string | undefined, baseDir: string, varDir: string, zlib: string | undefined, dirs: DirToCreate[], part: string): string {
  let storage: string;
  if (fileStorage) {
    const fs = pyJoin(varDir, fileStorage);
    dirs.push({ path: pyDirname(fs) });
    storage = `\n    # FileStorage database\n    <filestorage>\n      path ${fs}\n    </filestorage>\n`;
    if (zlib !== undefined) {
      if (zlib !== 'active' && zlib !== 'passive') {
        throw new BuildoutError('UserError', `zlib-storage must be "active" or "passive", got ${JSON.stringify(zlib)}`, { section: part, option: 'zlib-storage' });
      }
      const compress = zlib === 'active' ? 'true' : 'false';
      storage = `\n    %import zc.zlibstorage\n    # ZlibStorage wrapper\n    <zlibstorage>\n      compress ${compress}\n${indent(storage, 2)}\n    </zlibstorage>\n`;
    }
  } else {
    storage = '    <demostorage />';
  }
  if (!blobStorage) return storage;
  const blob = pyJoin(baseDir, blobStorage);
  dirs.push({ path: blob, mode: 0o700 });
  return `\n    # Blob-enabled FileStorage database\n    <blobstorage>\n      blob-dir ${blob}\n${indent(storage, 2)}\n    </blobstorage>\n`;
}

function renderZeoClient(o: Readonly<Record<string, string | undefined>>, blobStorage: string | undefined, sharedBlob: string): string {
  const line = (key: string, value: string | undefined) => (value ? `${key} ${value}` : '');
  const addresses = (o['zeo-address'] ?? '8100')
    .split(' ')
    .filter(Boolean)
    .map((a) => `\n      server ${a}\n`)
    .join('');
  const client = o['zeo-client-client'] ?? '';
  const zeoVar = client ? `var ${o['zeo-var'] || '$(ZEO_TMP)'}` : '';
  const auth = o['zeo-username'] ? `realm ${o['zeo-realm'] ?? 'ZEO'}\n      username ${o['zeo-username']}\n      password ${o['zeo-password'] ?? ''}` : '';
  const body = [
    `read-only ${o['read-only'] ?? 'false'}`,
    line('read-only-fallback', o['zeo-client-read-only-fallback'] ?? 'false'),
    ...(blobStorage ? [`blob-dir ${blobStorage}`, `shared-blob-dir ${sharedBlob}`] : []),
    addresses,
    `storage ${o['zeo-storage'] ?? '1'}`,
    'name zeostorage',
    `cache-size ${o['zeo-client-cache-size'] ?? '128MB'}`,
    ...(blobStorage ? [line('blob-cache-size', o['zeo-client-blob-cache-size']), line('blob-cache-size-check', o['zeo-client-blob-cache-size-check'])] : []),
    auth,
    zeoVar,
    line('client', client),
    line('min-disconnect-poll', o['min-disconnect-poll']),
    line('max-disconnect-poll', o['max-disconnect-poll']),
    line('drop-cache-rather-verify', o['zeo-client-drop-cache-rather-verify']),
  ];
  // the Python template is stripped: its comment line starts at column 0
  const comment = blobStorage ? '# Blob-enabled ZEOStorage database' : '# ZEOStorage database';
  return `${comment}\n    <zeoclient>\n${body.map((b) => '      ' + b).join('\n')}\n    </zeoclient>`;
}

function renderRelStorage(value: string, part: string): string {
  const entries = relStorageEntries(value);
  const type = entries.get('type') ?? 'postgresql';
  entries.delete('type');
  if (type === 'postgresql' && !entries.has('dsn')) {
    const need = ['dbname', 'user', 'host', 'password'];
    const missing = need.filter((k) => !entries.has(k));
    if (missing.length) throw new BuildoutError('UserError', `rel-storage for postgresql needs dsn or all of dbname, user, host, password (missing: ${missing.join(', ')})`, { section: part, option: 'rel-storage' });
    const dsn = `dbname='${entries.get('dbname')}' user='${entries.get('user')}' host='${entries.get('host')}' password='${entries.get('password')}'`;
    for (const k of need) entries.delete(k);
    entries.set('dsn', dsn);
  }
  // generic RelStorage options contain a dash (except sqlite3's data-dir) or are `name`
  const isRsOption = (k: string) => k !== 'data-dir' && (k.includes('-') || k === 'name');
  let dbOpts = [...entries].filter(([k]) => !isRsOption(k)).map(([k, v]) => ' '.repeat(12) + `${k} ${v}`).join('\n');
  if (type === 'sqlite3') {
    const pragmas = [...entries.keys()].filter((k) => k.startsWith('pragmas-')).sort();
    if (pragmas.length) {
      dbOpts += '\n' + ' '.repeat(12) + '<pragmas>\n';
      for (const k of pragmas) {
        dbOpts += ' '.repeat(16) + `${k.slice(8)} ${entries.get(k)}\n`;
        entries.delete(k);
      }
      dbOpts += ' '.repeat(12) + '</pragmas>\n';
    }
  }
  const rsOpts = [...entries].filter(([k]) => isRsOption(k)).map(([k, v]) => ' '.repeat(8) + `${k} ${v}`).join('\n');
  return `\n    %import relstorage\n    <relstorage>\n${rsOpts}\n        <${type}>\n${dbOpts}\n        </${type}>\n    </relstorage>\n`;
}
