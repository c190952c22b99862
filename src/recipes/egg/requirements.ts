// The requirement lines of a zc.recipe.egg part: `eggs`, or the part name.
import { requirementLines } from '../../python/requirements.js';

export function eggRequirements(part: string, raw: Readonly<Record<string, string>>): string[] {
  return raw.eggs === undefined ? [part] : requirementLines(raw.eggs);
}
