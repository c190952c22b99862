// Options of zc.recipe.testrunner, as the Python recipe (5.0) and the
// zc.recipe.egg it builds on read them.
import { z } from 'zod';

const text = () => z.string().optional();

export const testrunnerSchema = z.object({
  /** requirement lines of the distributions whose tests run; absent → the part name */
  eggs: text(),
  /** the script's name in bin/ (computed: its absolute path) */
  script: text(),
  /** Python source of a list of default arguments, e.g. ['--auto-color'] */
  defaults: text(),
  /** a section whose options become environment variables of the test run */
  environment: text(),
  /** where the tests run; empty → parts/<part> (computed as location) */
  'working-directory': text(),
  /** Python code run before the test runner starts */
  initialization: text(),
  /** directories put in front of sys.path (computed: made absolute) */
  'extra-paths': text(),
  /** paths relative to the script: true or false (default: [buildout] relative-paths) */
  'relative-paths': z.enum(['true', 'false']).optional(),
  // accepted as zc.recipe.egg accepts them: the buildout's environment is built from [buildout]
  'include-site-packages': text(),
  'allowed-eggs-from-site-packages': text(),
  executable: text(),
  python: text(),
  'find-links': text(),
  index: text(),
  'allow-hosts': text(),
  // computed by hooks.ts, as the Python recipe's constructor does
  location: text(),
  'eggs-directory': text(),
  _e: text(),
  'develop-eggs-directory': text(),
  _d: text(),
  'bin-directory': text(),
  _b: text(),
  'buildout-directory': text(),
});

export type TestrunnerOptions = z.output<typeof testrunnerSchema>;
