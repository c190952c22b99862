// Fault injection for the tests of interrupted runs: with BUILDOUT_TS_TEST_PAUSE=<point>
// the run announces `paused at <point>` on stderr when it reaches that point and stops
// there (the test then sends SIGKILL), so that a kill lands exactly between two steps.
// Points: `aside:<part>` (previous installation set aside), `installed:<part>` (the
// recipe finished, nothing recorded yet), `recorded:<part>` (.installed.cfg written, old
// copy not yet deleted), `removals-aside` (every removed part set aside).
export function pauseAt(point: string): void {
  const wanted = process.env.BUILDOUT_TS_TEST_PAUSE;
  if (!wanted || wanted !== point) return;
  process.stderr.write(`paused at ${point}\n`);
  // a synchronous wait: nothing else of the run may go on
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
}
