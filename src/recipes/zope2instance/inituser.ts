// The `inituser` file Zope reads on first start to create the initial manager.
import { createHash } from 'node:crypto';

/** `name:{SHA}<base64 sha1 of the UTF-8 password>` plus a newline. */
export function inituserLine(name: string, password: string): string {
  const digest = createHash('sha1').update(password, 'utf8').digest('base64');
  return `${name}:{SHA}${digest}\n`;
}

/** Splits `user = name:password` at the first colon (passwords may contain colons). */
export function splitUser(user: string): { name: string; password: string } {
  const i = user.indexOf(':');
  return i < 0 ? { name: user, password: '' } : { name: user.slice(0, i), password: user.slice(i + 1) };
}

/**
 * Mode of the written file. Deliberately 0600, unlike the Python recipe's
 * 0644: the file holds a (weakly) hashed admin password and only the Zope
 * process owner needs to read it.
 */
export const INITUSER_MODE = 0o600;
