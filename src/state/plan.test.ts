import { describe, expect, it } from 'vitest';
import { isNoop, optionChanges, planInstall, type PlanInput } from './plan.js';
import type { InstalledPart } from './installed.js';

const SIG = { __buildout_signature__: 'buildout-ts-0.1.0' };

function input(over: Partial<Omit<PlanInput, 'installed'>> & { installed?: Array<[string, InstalledPart]> }): PlanInput {
  const inst = over.installed;
  const installed = { order: (inst ?? []).map(([n]) => n), parts: new Map(inst ?? []) };
  return {
    wanted: [],
    options: new Map(),
    explicit: false,
    exists: () => true,
    alwaysUpdate: () => false,
    ...over,
    installed,
  };
}

const part = (options: Record<string, string>, files: string[] = []): InstalledPart => ({ options: { ...SIG, ...options }, files });

describe('planInstall', () => {
  it('installs everything on a first run', () => {
    const plan = planInstall(input({ wanted: ['a', 'b'], options: new Map<string, Record<string, string>>([['a', SIG], ['b', SIG]]) }));
    expect(plan).toEqual({ uninstall: [], steps: [{ part: 'a', action: 'install', reason: 'new part' }, { part: 'b', action: 'install', reason: 'new part' }] });
    expect(isNoop(plan)).toBe(false);
  });

  it('keeps parts whose options and files are unchanged: a no-op', () => {
    const plan = planInstall(
      input({ installed: [['a', part({ x: '1' }, ['/d/a'])], ['b', part({})]], wanted: ['a', 'b'], options: new Map<string, Record<string, string>>([['a', { ...SIG, x: '1' }], ['b', SIG]]) }),
    );
    expect(plan.uninstall).toEqual([]);
    expect(plan.steps.map((s) => s.action)).toEqual(['keep', 'keep']);
    expect(isNoop(plan)).toBe(true);
  });

  it('reinstalls only the part whose option changed', () => {
    const plan = planInstall(
      input({ installed: [['a', part({ x: '1' })], ['b', part({ y: '1' })]], wanted: ['a', 'b'], options: new Map<string, Record<string, string>>([['a', { ...SIG, x: '2' }], ['b', { ...SIG, y: '1' }]]) }),
    );
    expect(plan.uninstall).toEqual([{ part: 'a', reason: 'options changed: x' }]);
    expect(plan.steps).toEqual([
      { part: 'a', action: 'install', reason: 'options changed: x' },
      { part: 'b', action: 'keep', reason: 'unchanged' },
    ]);
  });

  it('treats a new signature (new version or changed input file) as a change', () => {
    const plan = planInstall(input({ installed: [['a', part({})]], wanted: ['a'], options: new Map<string, Record<string, string>>([['a', { __buildout_signature__: 'buildout-ts-0.2.0' }]]) }));
    expect(plan.uninstall).toEqual([{ part: 'a', reason: 'options changed: __buildout_signature__' }]);
  });

  it('reinstalls a part whose recorded files are missing', () => {
    const plan = planInstall(
      input({ installed: [['a', part({}, ['/d/here', '/d/gone'])]], wanted: ['a'], options: new Map<string, Record<string, string>>([['a', SIG]]), exists: (p) => p !== '/d/gone' }),
    );
    expect(plan.uninstall).toEqual([{ part: 'a', reason: 'files missing: /d/gone' }]);
    expect(plan.steps[0]!.action).toBe('install');
  });

  it('uninstalls removed parts in reverse install order', () => {
    const plan = planInstall(input({ installed: [['a', part({})], ['b', part({})], ['c', part({})]], wanted: ['b'], options: new Map<string, Record<string, string>>([['b', SIG]]) }));
    expect(plan.uninstall.map((u) => u.part)).toEqual(['c', 'a']);
    expect(plan.uninstall[0]!.reason).toBe('not in the configuration any more');
    expect(plan.steps).toEqual([{ part: 'b', action: 'keep', reason: 'unchanged' }]);
  });

  it('with parts named on the command line, leaves other installed parts alone', () => {
    const plan = planInstall(
      input({ installed: [['a', part({})], ['b', part({ x: '1' })]], wanted: ['b'], options: new Map<string, Record<string, string>>([['b', { ...SIG, x: '2' }]]), explicit: true }),
    );
    expect(plan.uninstall).toEqual([{ part: 'b', reason: 'options changed: x' }]);
    expect(plan.steps.map((s) => [s.part, s.action])).toEqual([['b', 'install']]);
  });

  it('updates a kept part whose recipe always updates; changed parts are still installed', () => {
    const plan = planInstall(
      input({
        installed: [['a', part({})], ['b', part({ x: '1' })]],
        wanted: ['a', 'b'],
        options: new Map<string, Record<string, string>>([['a', SIG], ['b', { ...SIG, x: '2' }]]),
        alwaysUpdate: () => true,
      }),
    );
    expect(plan.steps.map((s) => s.action)).toEqual(['update', 'install']);
    expect(isNoop(plan)).toBe(false);
  });

  it('reinstalls a part recorded in [buildout] parts but without options (hand-edited file)', () => {
    const plan = planInstall(input({ installed: [['a', { options: {}, files: [] }]], wanted: ['a'], options: new Map<string, Record<string, string>>([['a', SIG]]) }));
    expect(plan.uninstall).toEqual([{ part: 'a', reason: 'options changed: __buildout_signature__' }]);
  });
});

describe('optionChanges', () => {
  it('lists added, removed and changed option names, sorted', () => {
    expect(optionChanges({ a: '1', b: '2', c: '3' }, { a: '1', b: 'x', d: '4' })).toEqual(['b', 'c', 'd']);
    expect(optionChanges({ a: '' }, { a: '' })).toEqual([]);
  });
});
