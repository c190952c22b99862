// The options of buildout-ts:site.
import { z } from 'zod';
import { bool, int, lines } from '../options.js';

export const siteSchema = z.object({
  // computed by hooks.ts
  location: z.string(),
  'bin-directory': z.string(),
  'control-script': z.string(),
  components: z.string(),
  // which parts (default: every such part of buildout:parts)
  zeo: z.string().optional(),
  instances: z.string().optional(),
  balancers: z.string().optional(),
  // the control script
  'start-timeout': int(300, { min: 1 }),
  'stop-timeout': int(60, { min: 1 }),
  'drain-timeout': int(60, { min: 1 }),
  warmup: lines(),
  // systemd units
  systemd: bool(true),
  'unit-prefix': z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only (it begins the unit names)').optional(),
  'systemd-user': z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/, 'a user name').optional(),
  'systemd-group': z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/, 'a group name').optional(),
});

export type SiteOptions = z.output<typeof siteSchema>;
