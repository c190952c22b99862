// Preloaded into our CLI by the benches (NODE_OPTIONS=--import=…): writes the peak RSS of
// the Node process itself (not of its children) to $BENCH_NODE_RSS_FILE at exit. ~1 ms.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.BENCH_NODE_RSS_FILE) writeFileSync(process.env.BENCH_NODE_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
