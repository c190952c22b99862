// The bin/test text and the computed options, on their own (the e2e tests compare
// them with the real recipe run by the real zc.buildout).
import { describe, expect, it } from 'vitest';
import hooks, { DEVELOP_DIGEST_OPTION, pyJoin } from './hooks.js';
import { renderTestScript } from './script.js';
import { buildoutView } from '../../../test/fixtures/python/context.js';

const base = { python: '/b/.buildout/venv/bin/python', script: '/b/bin/test', path: ['/b/demo'], workingDirectory: '/b/parts/test', environment: [] as [string, string][], initialization: '', defaults: '', testPaths: [{ dir: '/b/demo' }] };

describe('bin/test', () => {
  it("zc.buildout's layout: sys.path, the working directory, the test paths", () => {
    expect(renderTestScript(base)).toBe(
      "#!/b/.buildout/venv/bin/python\n\nimport sys\nsys.path[0:0] = [\n  '/b/demo',\n  ]\n\nimport os\nsys.argv[0] = os.path.abspath(sys.argv[0])\nos.chdir('/b/parts/test')\n\n\nimport zope.testrunner\n\nif __name__ == '__main__':\n    sys.exit(zope.testrunner.run([\n        '--test-path', '/b/demo',\n        ]))\n",
    );
  });
  it('defaults in parentheses, environment variables, the initialization last', () => {
    const text = renderTestScript({ ...base, defaults: "\n['--tests-pattern', '^f?tests$',\n'-v'\n]", environment: [['zc.recipe.testrunner', "4'2"]], initialization: "sys.stdout.write('hi\\n')" });
    expect(text).toContain("os.chdir('/b/parts/test')\nos.environ['zc.recipe.testrunner'] = \"4'2\"\nsys.stdout.write('hi\\n')\n\nimport zope.testrunner");
    expect(text).toContain("sys.exit(zope.testrunner.run((['--tests-pattern', '^f?tests$',\n'-v'\n]) + [\n        '--test-path', '/b/demo',\n        ]))");
  });
  it('relative paths: base found from the script, paths under the buildout joined to it', () => {
    const text = renderTestScript({ ...base, path: ['/b/demo', '/usr/lib/x', '/b'], relativeTo: '/b', testPaths: [{ dir: '/b/demo' }, { dir: '/b/site/pkg', package: 'pkg' }] });
    expect(text).toContain("\nimport os\n\njoin = os.path.join\nbase = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))\nbase = os.path.dirname(base)\n\nimport sys\n");
    expect(text).toContain("sys.path[0:0] = [\n  join(base, 'demo'),\n  '/usr/lib/x',\n  base,\n  ]");
    expect(text).toContain("os.chdir(join(base, 'parts/test'))");
    expect(text).toContain("        '--test-path', join(base, 'demo'),\n        '--package-path', join(base, 'site/pkg'), 'pkg',\n");
  });
  it('a long interpreter path goes through sh (Linux cuts shebangs at 127 bytes)', () => {
    const python = '/' + 'x'.repeat(130) + '/bin/python';
    expect(renderTestScript({ ...base, python }).split('\n').slice(0, 2)).toEqual(['#!/bin/sh', `"exec" '${python}' "$0" "$@"`]);
  });
});

describe('computed options', () => {
  const view = buildoutView({ buildout: { directory: '/b', 'bin-directory': '/b/bin', 'parts-directory': '/b/parts', 'eggs-directory': '/b/eggs', 'develop-eggs-directory': '/b/develop-eggs', 'find-links': '' } });
  it("what the Python recipe's constructor sets", () => {
    expect(hooks.computeOptions!({ part: 'test', options: { recipe: 'zc.recipe.testrunner', 'extra-paths': 'lib\n/abs' }, buildout: view })).toEqual({
      script: '/b/bin/test',
      location: '/b/parts/test',
      'eggs-directory': '/b/eggs',
      _e: '/b/eggs',
      'develop-eggs-directory': '/b/develop-eggs',
      _d: '/b/develop-eggs',
      'bin-directory': '/b/bin',
      _b: '/b/bin',
      'extra-paths': '/b/lib\n/abs',
      [DEVELOP_DIGEST_OPTION]: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    // a changed develop list changes the part's options (its script is rewritten)
    const digest = (develop: string) => hooks.computeOptions!({ part: 'test', options: {}, buildout: buildoutView({ buildout: { directory: '/b', develop } }) })[DEVELOP_DIGEST_OPTION];
    expect(digest('src/a\nsrc/b')).toBe(digest('src/b src/a'));
    expect(digest('src/a')).not.toBe(digest('src/a src/b'));
    const wd = hooks.computeOptions!({ part: 'test', options: { script: 'runner', 'working-directory': '/w', 'relative-paths': 'true', 'find-links': 'a  b' }, buildout: view });
    expect(wd).toMatchObject({ script: '/b/bin/runner', 'find-links': 'a\nb', 'buildout-directory': '/b' });
    expect(wd).not.toHaveProperty('location');
  });
  it("os.path.join's rules", () => {
    expect(pyJoin('/b', 'x/../y')).toBe('/b/x/../y');
    expect(pyJoin('/b/', '/abs')).toBe('/abs');
  });
});
