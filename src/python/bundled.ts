// STUB (owned by the bin/instance work): installs buildout-ts's own Python package
// (`buildout_ts_wsgi`: the launcher, the control logic, the waitress `main`
// server factory and the `sentry` filter) into the buildout's environment.
import type { PythonEnv } from './types.js';

/** Idempotent; cheap when already installed. */
export async function installWsgiSupport(env: PythonEnv): Promise<void> {
  void env;
  throw new Error('installWsgiSupport: not implemented yet');
}
