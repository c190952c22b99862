// STUB (owned by the Python-environment work): creates/updates the buildout's virtual environment.
import type { PythonEnv, PythonEnvRequest } from './types.js';

export async function ensurePythonEnv(req: PythonEnvRequest): Promise<PythonEnv> {
  void req;
  throw new Error('ensurePythonEnv: not implemented yet');
}
