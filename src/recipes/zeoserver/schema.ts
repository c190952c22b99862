// The zod schema of plone.recipe.zeoserver: the options the recipe reads (all
// strings), unknown ones passed through.
import { z } from 'zod';
import { BOOLEAN_WORDS, checkAddress, checkBoolean, checkByteSize, checkInteger, type ShapeProblem } from '../options.js';

export const ZEO_OPTION_NAMES = [
  'location', 'bin-directory', 'buildout-directory', 'zeo-address', 'socket-name', 'effective-user',
  'storage-number', 'file-storage', 'blob-storage', 'zeo-log', 'zeo-log-format', 'zeo-log-custom',
  'zeo-log-level', 'zeo-log-max-size', 'zeo-log-old-files', 'authentication-database',
  'authentication-realm', 'pack-days', 'pack-gc', 'pack-keep-old', 'pack-user', 'pack-password',
  'replicate-to', 'replicate-from', 'keep-alive-delay', 'monitor-address', 'invalidation-queue-size',
  'var', 'zeo-conf-additional', 'eggs', 'extra-paths', 'zeo-conf', 'repozo', 'repozo-script-name',
  'zeopack', 'zeopack-script-name', 'relative-paths', 'read-only', 'pid-file', 'initialization',
] as const;

export type ZeoOptions = Readonly<Record<string, string | undefined>>;

const shape = Object.fromEntries(ZEO_OPTION_NAMES.map((k) => [k, z.string().optional()]));

// options with a known shape; an empty value keeps the default
const CHECKS: Record<string, (v: string) => ShapeProblem | undefined> = {
  // ZEO binds one address (ZConfig socket-binding-address): port, host:port, [v6]:port or a unix socket path
  'zeo-address': (v) => checkAddress(v.trim(), { portOnly: true, unixSocket: true }),
  'monitor-address': (v) => checkAddress(v.trim(), { portOnly: true, unixSocket: true }),
  'invalidation-queue-size': (v) => checkInteger(v, { min: 1 }),
  'keep-alive-delay': (v) => checkInteger(v, { min: 0 }),
  'read-only': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'zeo-log-max-size': checkByteSize,
};

export const zeoSchema = z.object(shape).superRefine((o, ctx) => {
  const days = (o as ZeoOptions)['pack-days'];
  if (days !== undefined && !/^\s*\d+\s*$/.test(days)) ctx.addIssue({ code: 'custom', path: ['pack-days'], message: `pack-days must be a whole number of days, got ${JSON.stringify(days)}` });
  for (const [option, check] of Object.entries(CHECKS)) {
    const v = (o as ZeoOptions)[option];
    const p = v === undefined || v.trim() === '' ? undefined : check(v);
    if (p) ctx.addIssue({ code: 'custom', path: [option], message: p.hint ? `${p.message} (${p.hint})` : p.message });
  }
}) as unknown as z.ZodType<ZeoOptions>;
