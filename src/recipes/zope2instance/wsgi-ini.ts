// View model → etc/wsgi.ini text. The built-in template is ours (handlebars,
// src/templates/wsgi-*.hbs); a user's wsgi-ini-template /
// wsgi-logging-ini-template is rendered with Python `%` semantics, exactly as
// the recipe does. The result is checked like configparser (strict) would,
// then server/pipeline combinations that are known to break are fixed or
// reported.
import { BuildoutError } from '../../errors.js';
import { renderTemplate } from '../../templates/render.js';
import { IniParseError, parseIniStrict, type IniSections } from './ini-check.js';
import { formatMapping, PyFormatError } from './pyformat.js';
import { CONTENT_LENGTH_FILTER, WSGI_VARIABLE_NAMES, type WsgiVars } from './wsgi-vars.js';
import { serverWarnings, serverKind } from './wsgi-server-checks.js';
import { editDistance } from '../../config/hints.js';

export interface TemplateFile {
  /** absolute path, for messages */
  file: string;
  text: string;
}

export interface WsgiIniInput {
  part: string;
  options: Readonly<Record<string, string | undefined>>;
  vars: WsgiVars;
  pipeline: string[];
  /** wsgi-ini-template: replaces the whole built-in template */
  template?: TemplateFile;
  /** wsgi-logging-ini-template: replaces the built-in logging part */
  loggingTemplate?: TemplateFile;
  /** sys.platform of the target Python (win32 gets waitress directly) */
  platform?: string;
}

export interface WsgiIniResult {
  text: string;
  /** the pipeline after our own edits (content_length) */
  pipeline: string[];
  warnings: string[];
}

export async function renderWsgiIni(input: WsgiIniInput): Promise<WsgiIniResult> {
  const warnings: string[] = [];
  let pipeline = [...input.pipeline];
  let text = await renderOnce(input, pipeline);
  let sections = check(text, input);
  const server = sections.get('server:main');
  const kind = serverKind(server?.get('use') ?? '');

  const mode = (input.options['content-length-filter'] ?? 'auto').trim().toLowerCase();
  const hasFilter = (p: string[]) => p.some((m) => m === CONTENT_LENGTH_FILTER || /#content_length$/.test(m));
  if (!hasFilter(pipeline) && (mode === 'on' || (mode === 'auto' && kind === 'werkzeug'))) {
    pipeline = [...pipeline];
    const i = pipeline.indexOf('zope');
    pipeline.splice(i >= 0 ? i : pipeline.length, 0, CONTENT_LENGTH_FILTER);
    text = await renderOnce(input, pipeline);
    sections = check(text, input);
    if (mode === 'auto') {
      warnings.push(
        `[${input.part}] the WSGI server is werkzeug: added ${CONTENT_LENGTH_FILTER} before zope in the pipeline, ` +
          'because Zope 5.9+ behind werkzeug hangs on POST requests without it ' +
          '(set content-length-filter = off to keep the pipeline unchanged)',
      );
    }
    const rendered = pySplitWs(sections.get('pipeline:main')?.get('pipeline') ?? '');
    if (rendered.length && !hasFilter(rendered)) {
      warnings.push(`[${input.part}] your wsgi.ini template does not use %(pipeline)s, so ${CONTENT_LENGTH_FILTER} could not be added: put it before zope in [pipeline:main] yourself`);
    }
  }
  warnings.push(...serverWarnings({ part: input.part, options: input.options, sections, kind, templateText: input.template?.text, vars: input.vars }));
  return { text, pipeline, warnings };
}

async function renderOnce(input: WsgiIniInput, pipeline: string[]): Promise<string> {
  const vars: Record<string, string> = { ...input.vars, pipeline: pipeline.join('\n    ') };
  const view = { ...vars, fastListen: vars['fast-listen'] };
  vars.server_main = await renderTemplate(input.platform === 'win32' ? 'wsgi-server-main-win32' : 'wsgi-server-main', view);
  const full = { ...view, server_main: vars.server_main };
  if (input.template) return formatUserTemplate(input.template, vars, input.part, 'wsgi-ini-template');
  const head = await renderTemplate('wsgi-head', full);
  if (input.loggingTemplate) return head + formatUserTemplate(input.loggingTemplate, vars, input.part, 'wsgi-logging-ini-template');
  return head + (await renderTemplate('wsgi-logging', full));
}

/** `template % vars` with a BuildoutError naming the file, line and variable. */
export function formatUserTemplate(tpl: TemplateFile, vars: Readonly<Record<string, string>>, part: string, option: string): string {
  try {
    return formatMapping(tpl.text, vars);
  } catch (e) {
    if (!(e instanceof PyFormatError)) throw e;
    const loc = { file: tpl.file, line: e.line };
    if (e.key !== undefined) {
      const suggestion = didYouMean(e.key);
      throw new BuildoutError('UserError', `${tpl.file}:${e.line}: unknown variable %(${e.key})s in the ${option}`, {
        loc,
        section: part,
        option,
        hint: (suggestion ? `did you mean %(${suggestion})s? ` : '') + `available: ${WSGI_VARIABLE_NAMES.join(', ')}; write %% for a literal %`,
      });
    }
    throw new BuildoutError('UserError', `${tpl.file}:${e.line}: ${e.message}`, { loc, section: part, option, hint: 'the template uses Python %-formatting: %(name)s inserts a variable, %% is a literal %' });
  }
}

function check(text: string, input: WsgiIniInput): IniSections {
  try {
    return parseIniStrict(text);
  } catch (e) {
    if (!(e instanceof IniParseError)) throw e;
    const source = input.template ?? input.loggingTemplate;
    const first = e.problems[0]!;
    const where = source ? ` (rendered from ${source.file})` : '';
    throw new BuildoutError('UserError', `the generated wsgi.ini is not valid for Python's configparser${where}:\n  ${e.problems.map((p) => `line ${p.line}: ${p.message}`).join('\n  ')}`, {
      loc: source ? { file: source.file, line: source === input.template ? first.line : undefined } : undefined,
      section: input.part,
      option: input.template ? 'wsgi-ini-template' : input.loggingTemplate ? 'wsgi-logging-ini-template' : undefined,
      hint: 'each section name and each key within a section may appear only once, and the file must start with a [section] header',
    });
  }
}

// Names that older documentation mentions but the recipe never provided.
const OLD_NAMES: Record<string, string> = { event_log: 'eventlog_name', z2_log: 'accesslog_name', access_log: 'accesslog_name', instance_home: 'location', fast_listen: 'fast-listen' };

/** The closest known variable name, if any is close enough. */
export function didYouMean(name: string): string | undefined {
  if (OLD_NAMES[name]) return OLD_NAMES[name];
  let best: string | undefined;
  let bestDist = Infinity;
  for (const cand of WSGI_VARIABLE_NAMES) {
    const d = editDistance(name.toLowerCase(), cand);
    if (d < bestDist) [best, bestDist] = [cand, d];
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}


function pySplitWs(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}
