// Registered in vitest.config.ts for every test file: its afterAll is the file's first, so it runs
// last (hooks run as a stack), once the file's own afterAll hooks have stopped what they started.
import { afterAll } from 'vitest';
import { removeDirsMadeOutsideTests } from './testdir.js';

afterAll(() => removeDirsMadeOutsideTests());
