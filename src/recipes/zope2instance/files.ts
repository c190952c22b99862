// Writing files without leaving half-written ones behind: temp file + rename.
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content, { mode });
    // writeFileSync's mode is filtered by the umask; the result must be exact (0600 for secrets)
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** mkdir -p; `mode` applies to the directories created here (like os.makedirs(path, mode)). */
export function ensureDir(path: string, mode?: number): void {
  mkdirSync(path, mode === undefined ? { recursive: true } : { recursive: true, mode });
}
