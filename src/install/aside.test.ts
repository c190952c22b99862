import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { onTestFinished } from 'vitest';
import { silentLogger } from '../log.js';
import { testdir } from '../../test/helpers/testdir.js';
import { discardAside, moveAside, planAside, restoreAside } from './aside.js';

function tree(root: string): void {
  mkdirSync(join(root, 'parts/web/etc'), { recursive: true });
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'parts/web/etc/app.conf'), 'old');
  writeFileSync(join(root, 'bin/web'), 'old script');
}

describe('setting a part aside', () => {
  it('moves the outermost existing paths, puts them back over what a failed install left, or deletes them', () => {
    const root = testdir();
    tree(root);
    const files = [join(root, 'parts/web'), join(root, 'parts/web/etc/app.conf'), join(root, 'bin/web'), join(root, 'bin/missing'), root];
    const entries = planAside('web', files, root);
    expect(entries.map((e) => e.from)).toEqual([join(root, 'parts/web'), join(root, 'bin/web')]); // nested, missing, the buildout itself: left out
    moveAside(entries);
    expect(existsSync(join(root, 'parts/web'))).toBe(false);
    expect(existsSync(join(root, 'bin/web'))).toBe(false);
    // the failed new install
    mkdirSync(join(root, 'parts/web'));
    writeFileSync(join(root, 'parts/web/half'), 'new');
    expect(restoreAside(entries, silentLogger)).toEqual([]);
    expect(readFileSync(join(root, 'parts/web/etc/app.conf'), 'utf8')).toBe('old');
    expect(existsSync(join(root, 'parts/web/half'))).toBe(false);
    expect(readFileSync(join(root, 'bin/web'), 'utf8')).toBe('old script');
    expect(existsSync(join(root, '.buildout/aside'))).toBe(false);

    const again = planAside('web', files, root);
    moveAside(again);
    discardAside(again, silentLogger);
    expect(existsSync(join(root, 'parts/web'))).toBe(false);
    expect(existsSync(join(root, '.buildout/aside'))).toBe(false);
  });

  it('keeps the place of a path another part has taken since', () => {
    const root = testdir();
    tree(root);
    const entries = planAside('web', [join(root, 'bin/web')], root);
    moveAside(entries);
    writeFileSync(join(root, 'bin/web'), 'the other part');
    expect(restoreAside(entries, silentLogger, (p) => p === join(root, 'bin/web'))).toEqual([join(root, 'bin/web')]);
    expect(readFileSync(join(root, 'bin/web'), 'utf8')).toBe('the other part');
    expect(existsSync(join(root, '.buildout/aside'))).toBe(false);
  });

  const otherDevice = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
  it.skipIf(!otherDevice)('a path on another file system waits beside itself (/dev/shm here; skipped where it is on the same one)', () => {
    const root = testdir();
    const outside = mkdtempSync('/dev/shm/buildout-ts-aside-');
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }));
    writeFileSync(join(outside, 'crontab'), 'old');
    const entries = planAside('cron', [join(outside, 'crontab')], root);
    expect(entries).toEqual([{ from: join(outside, 'crontab'), to: join(outside, 'crontab.buildout-ts-aside') }]);
    moveAside(entries);
    expect(readdirSync(outside)).toEqual(['crontab.buildout-ts-aside']);
    restoreAside(entries, silentLogger);
    expect(readFileSync(join(outside, 'crontab'), 'utf8')).toBe('old');
  });
});
