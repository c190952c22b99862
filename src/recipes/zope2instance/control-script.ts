// STUB (owned by the bin/instance work): renders the control script `bin/<control-script>`.

export interface ControlScriptOptions {
  /** the buildout environment's python (shebang and interpreter of the server) */
  python: string;
  /** the part name */
  part: string;
  /** the buildout directory (the server's cwd, where `.env` is read) */
  buildoutDirectory: string;
  /** parts/<part> */
  location: string;
  /** zope.conf to use (`-C`): the generated one or the `zope-conf` option */
  zopeConf: string;
  /** wsgi.ini to serve (`-w`): the generated one or the `wsgi` option's path */
  wsgiIni: string;
  /** var/<part> (client home) */
  clientHome: string;
  /** the pid file used by start/stop/status (recipe option `pid-file`, default var/<part>.pid) */
  pidFile: string;
  /** default file for `logtail` (the event log), if any */
  eventLog?: string;
  /** `zopectl-umask` as an int */
  umask?: number;
  /** Python code to run first (`initialization`, already %-interpolated) */
  initialization?: string;
  /** directories prepended to sys.path */
  extraPaths?: string[];
}

/** Returns the text of the control script (a Python script; the caller writes it with mode 0755). */
export function renderControlScript(opts: ControlScriptOptions): string {
  void opts;
  throw new Error('renderControlScript: not implemented yet');
}
