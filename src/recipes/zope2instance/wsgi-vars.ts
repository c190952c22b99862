// The variables every wsgi.ini template sees (spec (c)), and the pipeline
// edits the recipe makes. Pure and light.
import { pySplit } from './paths.js';

export const DEFAULT_PIPELINE = ['translogger', 'egg:Zope#httpexceptions', 'zope'];
export const CONTENT_LENGTH_FILTER = 'egg:Zope#content_length';

export interface WsgiVarsInput {
  part: string;
  options: Readonly<Record<string, string | undefined>>;
  location: string;
  varDir: string;
}

/** The exact variable set of the Python recipe (`server_main` is added by the renderer). */
export interface WsgiVars {
  accesslog_args: string;
  accesslog_handler: string;
  accesslog_kwargs: string;
  accesslog_level: string;
  accesslog_name: string;
  asyncore_use_poll: string;
  clear_untrusted_proxy_headers: string;
  event_handlers: string;
  eventlog_args: string;
  eventlog_handler: string;
  eventlog_kwargs: string;
  eventlog_level: string;
  eventlog_name: string;
  'fast-listen': string;
  http_address: string;
  location: string;
  max_request_body_size: string;
  pipeline: string;
  root_handlers: string;
  sentry_dsn: string;
  sentry_event_level: string;
  sentry_ignore: string;
  sentry_level: string;
  sentry_max_value_length: string;
  threads: string;
  profile_log_filename: string;
  profile_cachegrind_filename: string;
  profile_discard_first_request: string;
  profile_path: string;
  profile_flush_at_shutdown: string;
  profile_unwind: string;
}

/** Every name a template may use, `server_main` included. */
export const WSGI_VARIABLE_NAMES = [
  'accesslog_args', 'accesslog_handler', 'accesslog_kwargs', 'accesslog_level', 'accesslog_name',
  'asyncore_use_poll', 'clear_untrusted_proxy_headers', 'event_handlers', 'eventlog_args',
  'eventlog_handler', 'eventlog_kwargs', 'eventlog_level', 'eventlog_name', 'fast-listen',
  'http_address', 'location', 'max_request_body_size', 'pipeline', 'root_handlers', 'sentry_dsn',
  'sentry_event_level', 'sentry_ignore', 'sentry_level', 'sentry_max_value_length', 'threads',
  'profile_log_filename', 'profile_cachegrind_filename', 'profile_discard_first_request',
  'profile_path', 'profile_flush_at_shutdown', 'profile_unwind', 'server_main',
] as const;

export interface WsgiVarsResult {
  vars: WsgiVars;
  /** the edited pipeline, one member per item */
  pipeline: string[];
}

export function buildWsgiVars(input: WsgiVarsInput): WsgiVarsResult {
  const { part, options: o, location, varDir } = input;
  const fastListen = (o['http-fast-listen'] ?? 'on') || '';
  const listen = pySplit(o['http-address'] ?? '0.0.0.0:8080')
    .map((a) => (a.includes(':') ? a : `0.0.0.0:${a}`))
    .join(' ');

  const eventlogName = o['event-log'] ?? `${varDir}/log/${part}.log`;
  const eventlogArgs = o['event-log-args'] ? pyStrFormat(o['event-log-args'], eventlogName) : `(r'${eventlogName}', 'a')`;
  const eventDisabled = eventlogName.toLowerCase() === 'disable';
  let eventHandlers = eventDisabled ? '' : 'eventlog';

  const accesslogName = o['z2-log'] ?? o['access-log'] ?? `${varDir}/log/${part}-access.log`;
  let accesslogHandler = o['access-log-handler'] ?? 'FileHandler';
  let accesslogArgs = o['access-log-args'] ? pyStrFormat(o['access-log-args'], accesslogName) : `(r'${accesslogName}', 'a')`;

  let pipeline = pySplit(o.pipeline ?? DEFAULT_PIPELINE.join('\n'));
  if (accesslogName.toLowerCase() === 'disable') {
    // quirk kept from the recipe: disabling the access log also silences plone/waitress
    eventHandlers = '';
    accesslogHandler = 'NullHandler';
    accesslogArgs = '()';
    pipeline = pipeline.filter((p) => p !== 'translogger');
  }
  const sentryDsn = o.sentry_dsn ?? '';
  if (sentryDsn) insertBeforeZope(pipeline, 'sentry');
  if ((o.profile ?? '').trim() === 'on') insertBeforeZope(pipeline, 'profile');
  if (!pipeline.includes('zope')) pipeline.push('zope');

  const vars: WsgiVars = {
    accesslog_args: accesslogArgs,
    accesslog_handler: accesslogHandler,
    accesslog_kwargs: o['access-log-kwargs'] ?? '{}',
    accesslog_level: o['access-log-level'] ?? o['z2-log-level'] ?? 'INFO',
    accesslog_name: accesslogName,
    asyncore_use_poll: ['on', 'true'].includes((o['asyncore-use-poll'] ?? 'false').toLowerCase()) ? 'true' : 'false',
    clear_untrusted_proxy_headers: o['clear-untrusted-proxy-headers'] ?? 'false',
    event_handlers: eventHandlers,
    eventlog_args: eventlogArgs,
    eventlog_handler: o['event-log-handler'] ?? 'FileHandler',
    eventlog_kwargs: o['event-log-kwargs'] ?? '{}',
    eventlog_level: o['event-log-level'] ?? 'INFO',
    eventlog_name: eventlogName,
    'fast-listen': ['on', 'true'].includes(fastListen.toLowerCase()) ? 'fast-' : '',
    http_address: listen,
    location,
    max_request_body_size: o['max-request-body-size'] ?? '1073741824',
    pipeline: pipeline.join('\n    '),
    root_handlers: eventDisabled ? 'console' : 'console, eventlog',
    sentry_dsn: sentryDsn,
    sentry_event_level: o.sentry_event_level ?? 'ERROR',
    sentry_ignore: o.sentry_ignore ?? '',
    sentry_level: o.sentry_level ?? 'INFO',
    sentry_max_value_length: o.sentry_max_value_length ?? '',
    threads: o.threads ?? '4',
    profile_log_filename: o.profile_log_filename ?? `${varDir}/log/profile-${part}.raw`,
    profile_cachegrind_filename: o.profile_cachegrind_filename ?? `${varDir}/log/cachegrind.out.${part}`,
    profile_discard_first_request: o.profile_discard_first_request ?? 'true',
    profile_path: o.profile_path ?? '/__profile__',
    profile_flush_at_shutdown: o.profile_flush_at_shutdown ?? 'true',
    profile_unwind: o.profile_unwind ?? 'false',
  };
  return { vars, pipeline };
}

/** Inserts `item` before `zope` (or appends), as the recipe does for sentry/profile. */
export function insertBeforeZope(pipeline: string[], item: string): void {
  const i = pipeline.indexOf('zope');
  if (i >= 0) pipeline.splice(i, 0, item);
  else pipeline.push(item);
}

/** Python's `str.format(value)` for the `*-log-args` options: `{}`/`{0}` insert, `{{`/`}}` are literal braces. */
export function pyStrFormat(template: string, value: string): string {
  return template.replace(/\{\{|\}\}|\{(0?)\}/g, (m) => (m === '{{' ? '{' : m === '}}' ? '}' : value));
}
