// Options of collective.recipe.template.
import { z } from 'zod';
import { bool, octalMode, required } from '../options.js';

const ENCODINGS = ['utf-8', 'utf8', 'latin-1', 'latin1', 'iso-8859-1', 'ascii'] as const;

const encoding = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const e = (v ?? 'utf-8').trim().toLowerCase();
    if (!(ENCODINGS as readonly string[]).includes(e)) {
      ctx.addIssue({ code: 'custom', message: `unsupported encoding '${v}' (supported: utf-8, latin-1, ascii)` });
      return z.NEVER;
    }
    return (e.startsWith('utf') ? 'utf8' : e === 'ascii' ? 'ascii' : 'latin1') as BufferEncoding;
  });

export const templateSchema = z
  .object({
    input: z.string().optional(),
    inline: z.string().optional(),
    url: z.string().optional(),
    output: required('an output file path'),
    mode: octalMode(),
    overwrite: bool(true),
    'input-encoding': encoding,
    'output-encoding': encoding,
    timeout: z.string().optional(),
  })
  // any other option may be a template variable (`${name}`), as in the Python recipe
  .catchall(z.string())
  .superRefine((o, ctx) => {
    if (o.input === undefined && o.inline === undefined && o.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['input'], message: 'No input file, inline template, or URL specified.' });
    }
    if (o.input !== undefined && (o.inline !== undefined || o.url !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['input'], message: 'Too many input sources.' });
    }
  });

export type TemplateOptions = z.output<typeof templateSchema>;
