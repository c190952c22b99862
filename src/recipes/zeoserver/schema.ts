// The zod schema of plone.recipe.zeoserver: the options the recipe reads (all
// strings), unknown ones passed through.
import { z } from 'zod';

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

export const zeoSchema = z.object(shape).superRefine((o, ctx) => {
  const days = (o as ZeoOptions)['pack-days'];
  if (days !== undefined && !/^\s*\d+\s*$/.test(days)) ctx.addIssue({ code: 'custom', path: ['pack-days'], message: `pack-days must be a whole number of days, got ${JSON.stringify(days)}` });
}) as unknown as z.ZodType<ZeoOptions>;
