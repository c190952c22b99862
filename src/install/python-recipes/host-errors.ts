// A failure the Python host reports, as zc.buildout would show it: the recipe's own message
// for a zc.buildout.UserError, the exception's type and message for anything else (its
// traceback only with -D, where zc.buildout prints it always), and clear words for a
// recipe that cannot be found or imported.
import { BuildoutError, isBuildoutError, type ErrorCode } from '../../errors.js';
import { HostCallError } from './rpc.js';

export function hostError(e: unknown, part: string, recipe: string, option?: string): unknown {
  if (!(e instanceof HostCallError)) return e;
  const f = e.failure as HostCallError['failure'] & { buildoutError?: { code: ErrorCode; hint?: string; section?: string; option?: string; doing?: string[] } };
  if (f.kind === 'buildout-ts' && f.buildoutError) {
    const b = f.buildoutError;
    return new BuildoutError(b.code, f.message, { ...(b.hint ? { hint: b.hint } : {}), ...(b.section ? { section: b.section } : {}), ...(b.option ? { option: b.option } : {}), ...(b.doing ? { doing: [...b.doing] } : {}) });
  }
  let err: BuildoutError;
  switch (f.kind) {
    case 'user':
      err = new BuildoutError('RecipeError', f.message, { section: part, ...(option ? { option } : {}) });
      break;
    case 'not-found':
      err = new BuildoutError('UnknownRecipe', `${f.message} (recipe = ${recipe} in part ${part})`, { section: part, option: 'recipe' });
      break;
    case 'no-entry-point':
      err = new BuildoutError('UnknownRecipe', `${f.message} (recipe = ${recipe} in part ${part})`, { section: part, option: 'recipe', hint: 'A recipe value is `distribution` or `distribution:name`, name being a `zc.buildout` entry point of the distribution (`default` when omitted).' });
      break;
    case 'import':
      err = new BuildoutError('RecipeLoadError', f.message, { section: part, option: 'recipe' });
      break;
    default:
      err = new BuildoutError('RecipeError', `${f.type ?? 'Exception'}: ${f.message}`, { section: part, ...(option ? { option } : {}), hint: `${option === 'extensions' ? 'The extension' : 'The recipe'} ${recipe} raised an exception: run buildout with -D to see its traceback.` });
  }
  if (f.traceback) err.stack = f.traceback.trimEnd();
  return err;
}

/** Wraps a host call so that its failure becomes the BuildoutError zc.buildout's message maps to. */
export async function asRecipeError<T>(p: Promise<T>, part: string, recipe: string, option?: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const mapped = hostError(e, part, recipe, option);
    if (isBuildoutError(mapped) || mapped !== e) throw mapped;
    throw e;
  }
}
