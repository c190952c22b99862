// Where a zc.recipe.egg:develop part's project is (light: read while planning the environment).
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The project folder of `setup`: the folder itself, or the folder of a setup.py. */
export function setupDirectory(setup: string): string {
  try {
    return statSync(setup).isDirectory() ? setup : dirname(setup);
  } catch {
    return /\.py$/.test(setup) ? dirname(setup) : setup;
  }
}
