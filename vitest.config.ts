import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The tests run the built CLI (bin/buildout): rebuild dist/bundle first when src/ changed.
    globalSetup: ['scripts/bundle-if-stale.mjs'],
    // temporary directories made outside a test are removed when the file is done
    setupFiles: ['test/helpers/cleanup.setup.ts'],
    // Real venvs, pip runs and WSGI servers are slow on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // e2e tests start servers on ports of their own; keep the load bounded.
    maxWorkers: 2,
  },
});
