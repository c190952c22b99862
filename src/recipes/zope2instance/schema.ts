// The zod schema of plone.recipe.zope2instance: every option the recipe reads
// (all strings, as buildout gives them), unknown ones passed through (the
// recipe also hands zc.recipe.egg options on). Cross-option rules become
// issues on the offending option.
import { z } from 'zod';
import { checkOptions } from './rules.js';

export const OPTION_NAMES = [
  // computed
  'location', 'bin-directory', 'buildout-directory', 'zope-conf', 'pipeline', 'initialization',
  // ours: several instances from one part (members.ts)
  'instances', 'instance-names', 'instance-addresses',
  // server / wsgi
  'http-address', 'http-fast-listen', 'threads', 'zserver-threads', 'max-request-body-size',
  'clear-untrusted-proxy-headers', 'asyncore-use-poll', 'wsgi', 'wsgi-ini-template',
  'wsgi-logging-ini-template', 'debug-exceptions', 'sentry_dsn', 'sentry_level', 'sentry_event_level',
  'sentry_ignore', 'sentry_max_value_length', 'profile', 'profile_log_filename',
  'profile_cachegrind_filename', 'profile_discard_first_request', 'profile_path',
  'profile_flush_at_shutdown', 'profile_unwind', 'content-length-filter',
  // ZServer-only (accepted, no effect in WSGI mode)
  'ip-address', 'http-force-connection-close', 'ftp-address', 'webdav-address',
  'webdav-force-connection-close', 'icp-address', 'http-header-max-length', 'effective-user',
  'enable-product-installation', 'deprecation-warnings', 'event-log-max-size', 'event-log-old-files',
  'event-log-custom', 'access-log-max-size', 'access-log-old-files', 'access-log-custom', 'pid-file', 'lock-file',
  // ZEO client
  'zeo-client', 'zeo-address', 'shared-blob', 'zeo-client-cache-size', 'zeo-storage', 'read-only',
  'zeo-client-read-only-fallback', 'zeo-client-blob-cache-size', 'zeo-client-blob-cache-size-check',
  'zeo-client-client', 'zeo-var', 'min-disconnect-poll', 'max-disconnect-poll',
  'zeo-client-drop-cache-rather-verify', 'zeo-username', 'zeo-password', 'zeo-realm',
  // storage
  'file-storage', 'blob-storage', 'demo-storage', 'demo-file-storage', 'demo-blob-storage',
  'before-storage', 'zlib-storage', 'storage-wrapper', 'zodb-cache-size', 'zodb-cache-size-bytes',
  'zodb-temporary-storage', 'rel-storage',
  // logging
  'event-log', 'event-log-level', 'event-log-handler', 'event-log-args', 'event-log-kwargs',
  'access-log', 'z2-log', 'access-log-level', 'z2-log-level', 'access-log-handler', 'access-log-args',
  'access-log-kwargs', 'mailinglogger',
  // zcml / products / paths
  'zcml', 'zcml-additional', 'resources', 'locales', 'site-zcml', 'products', 'extra-paths',
  'zope-conf-imports', 'zope-conf-additional',
  // environment
  'environment-vars', 'template-cache', 'var', 'client-home', 'import-directory',
  'default-zpublisher-encoding', 'python-check-interval', 'port-base', 'relative-paths',
  'include-site-packages',
  // debug
  'debug-mode', 'verbose-security',
  // control / scripts (zc.recipe.egg)
  'user', 'control-script', 'zopectl-umask', 'scripts', 'eggs', 'find-links', 'index',
  'dependent-scripts', 'entry-points', 'interpreter', 'arguments', 'python', 'executable', 'allow-hosts',
  'allowed-eggs-from-site-packages', 'unzip', 'newest', 'eggs-directory', 'develop-eggs-directory',
] as const;

const shape = Object.fromEntries(OPTION_NAMES.map((k) => [k, z.string().optional()])) as Record<(typeof OPTION_NAMES)[number], z.ZodOptional<z.ZodString>>;

export type InstanceOptions = Readonly<Record<string, string | undefined>>;

export const instanceSchema: z.ZodType<InstanceOptions> = z
  .object(shape)
  .superRefine((o, ctx) => {
    for (const p of checkOptions(o as Record<string, string | undefined>)) {
      ctx.addIssue({ code: 'custom', path: [p.option], message: p.hint ? `${p.message} (${p.hint})` : p.message });
    }
  }) as unknown as z.ZodType<InstanceOptions>;
