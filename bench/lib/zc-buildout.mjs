// The real zc.buildout for the benches: installed from PyPI into a scratch virtual
// environment of its own (kept between runs), with a setuptools that still has
// pkg_resources (< 82), which zc.buildout imports. Its recipes (plone.recipe.zope2instance,
// plone.recipe.zeoserver) are not installed here: zc.buildout gets them itself, as a user's
// buildout does.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { python3 } from './measure.mjs';

export const ZC_BUILDOUT_SPEC = ['zc.buildout>=5,<7', 'setuptools<82'];

export function ensureZcBuildout(venv) {
  const python = join(venv, 'bin', 'python');
  if (!existsSync(join(venv, 'bin', 'buildout')) || !versions(python)) {
    rmSync(venv, { recursive: true, force: true });
    must(python3(), ['-m', 'venv', venv]);
    must(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...ZC_BUILDOUT_SPEC]);
  }
  return { buildout: join(venv, 'bin', 'buildout'), python, versions: versions(python) };
}

function versions(python) {
  const r = spawnSync(python, ['-c', 'import importlib.metadata as m, sys; print(m.version("zc.buildout"), m.version("setuptools"), "%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const [zcBuildout, setuptools, python3] = r.stdout.trim().split(' ');
  return { zcBuildout, setuptools, python: python3 };
}

function must(file, args) {
  const r = spawnSync(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (exit ${r.status})`);
}
