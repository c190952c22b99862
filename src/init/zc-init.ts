// zc.buildout 6's own `buildout init [requirements]`: an empty buildout.cfg, or one with a
// part `py` (zc.recipe.egg) whose interpreter holds the requirements; a word with a
// slash is an extra path (created when missing, relative to the current directory).
export function zcInitConfig(args: readonly string[]): { text: string; paths: string[] } {
  if (args.length === 0) return { text: '[buildout]\nparts =\n', paths: [] };
  const sep = /[\\/]/;
  const eggs = args.filter((a) => !sep.test(a));
  const paths = args.filter((a) => sep.test(a)).map((a) => a.replace(/\\/g, '/'));
  let text = '[buildout]\nparts = py\n\n[py]\nrecipe = zc.recipe.egg\ninterpreter = py\neggs =\n';
  if (eggs.length) text += `  ${eggs.join('\n  ')}\n`;
  if (paths.length) text += `extra-paths =\n  ${paths.join('\n  ')}\n`;
  return { text, paths };
}
