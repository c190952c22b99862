// Options of plone.recipe.zope2instance with a known shape (addresses, sizes, numbers,
// booleans, user): a bad value is reported at build time, naming the option, instead of
// a server that listens elsewhere or a Zope that refuses to start. What is accepted
// follows what the readers accept (waitress for http-address, ZConfig for zope.conf).
import { BOOLEAN_WORDS, checkAddress, checkAddresses, checkBoolean, checkByteSize, checkInteger, checkUserPassword, type ShapeProblem } from '../options.js';
import type { RuleProblem } from './rules.js';

type Check = (value: string) => ShapeProblem | undefined;

// waitress's asbool also takes y/n and t/f
const WAITRESS_BOOL = [...BOOLEAN_WORDS.buildout, 'y', 'n', 't', 'f'];

const CHECKS: Record<string, Check> = {
  // waitress listen: host:port, [v6]:port, *:port; the recipe adds 0.0.0.0: to a bare port
  'http-address': (v) => checkAddresses(v, { portOnly: true, wildcard: true }),
  // ZEO client: split on single spaces; port, host:port, [v6]:port or a unix socket path
  'zeo-address': (v) => {
    for (const item of v.split(' ').filter(Boolean)) {
      const p = checkAddress(item, { portOnly: true, unixSocket: true });
      if (p) return p;
    }
    return undefined;
  },
  user: checkUserPassword,
  'zeo-client-cache-size': checkByteSize,
  'zeo-client-blob-cache-size': checkByteSize,
  'zodb-cache-size-bytes': checkByteSize,
  threads: (v) => checkInteger(v, { min: 1 }),
  'zodb-cache-size': (v) => checkInteger(v, { min: 0 }),
  'python-check-interval': (v) => checkInteger(v),
  'max-request-body-size': (v) => checkInteger(v, { min: 0 }),
  'min-disconnect-poll': (v) => checkInteger(v, { min: 0 }),
  'max-disconnect-poll': (v) => checkInteger(v, { min: 0 }),
  'zeo-client-blob-cache-size-check': (v) => checkInteger(v, { min: 0, max: 100 }),
  sentry_max_value_length: (v) => checkInteger(v, { min: 1 }),
  // read by the recipe itself (anything but the true words would silently mean off)
  'zeo-client': (v) => checkBoolean(v),
  'http-fast-listen': (v) => checkBoolean(v),
  'asyncore-use-poll': (v) => checkBoolean(v),
  'clear-untrusted-proxy-headers': (v) => checkBoolean(v, WAITRESS_BOOL),
  // written into zope.conf, where ZConfig's boolean takes no 1/0
  'debug-mode': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'debug-exceptions': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'verbose-security': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'read-only': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'zeo-client-read-only-fallback': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'shared-blob': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
  'zeo-client-drop-cache-rather-verify': (v) => checkBoolean(v, BOOLEAN_WORDS.zconfig),
};

// an empty value means "line omitted" or "default" for these, except an empty http-address
const EMPTY_IS_AN_ERROR = new Set(['http-address']);

export function checkShapes(o: Readonly<Record<string, string | undefined>>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const [option, check] of Object.entries(CHECKS)) {
    const v = o[option];
    if (v === undefined || (v.trim() === '' && !EMPTY_IS_AN_ERROR.has(option))) continue;
    // zeo-address only matters for a ZEO client (the recipe ignores it otherwise)
    if (option === 'zeo-address' && !/^(yes|true|on|1)$/i.test(o['zeo-client'] ?? '')) continue;
    const p = check(v);
    if (p) problems.push({ option, message: p.message, hint: p.hint });
  }
  return problems;
}
