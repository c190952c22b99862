// Options of zc.recipe.egg (both entry points), as the Python recipe reads them.
import { z } from 'zod';
import { bool, lines } from '../options.js';
import { isProjectDir } from '../../python/develop.js';
import { setupDirectory } from './develop-paths.js';

/** zc.recipe.egg:eggs */
export const eggsSchema = z.object({
  /** requirement lines; absent → the part name */
  eggs: z.string().optional(),
  // accepted for compatibility: the buildout's environment uses [buildout]'s settings
  'find-links': z.string().optional(),
  index: z.string().optional(),
  python: z.string().optional(),
  'allow-hosts': z.string().optional(),
  // computed by hooks.ts, as the Python recipe's constructor does
  'eggs-directory': z.string().optional(),
  _e: z.string().optional(),
  'develop-eggs-directory': z.string().optional(),
  _d: z.string().optional(),
});

/** zc.recipe.egg / zc.recipe.egg:scripts */
export const scriptsSchema = eggsSchema.extend({
  'bin-directory': z.string().optional(),
  _b: z.string().optional(),
  'extra-paths': lines(),
  /** `a b=c`: which console scripts, renamed; present but empty → none */
  scripts: z.string().optional(),
  'entry-points': z.string().optional(),
  interpreter: z.string().optional(),
  initialization: z.string().optional(),
  arguments: z.string().optional(),
  'dependent-scripts': bool(false),
  'relative-paths': z.string().optional(),
});

/** zc.recipe.egg:develop (`setup` made absolute by hooks.ts, as the Python constructor does) */
export const developSchema = z.object({
  setup: z
    .string()
    .min(1, 'the project folder or its setup.py is required')
    .refine((v) => isProjectDir(setupDirectory(v)), { message: 'not a Python project (no pyproject.toml, setup.py or setup.cfg there)' }),
  // accepted for compatibility: the buildout's environment uses [buildout]'s interpreter
  python: z.string().optional(),
  executable: z.string().optional(),
  'build_ext': z.string().optional(),
  define: z.string().optional(),
  undef: z.string().optional(),
  libraries: z.string().optional(),
  'library-dirs': z.string().optional(),
  'include-dirs': z.string().optional(),
  rpath: z.string().optional(),
  'develop-eggs-directory': z.string().optional(),
  _d: z.string().optional(),
});

export type EggsOptions = z.output<typeof eggsSchema>;
export type ScriptsOptions = z.output<typeof scriptsSchema>;
