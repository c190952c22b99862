// `install --plan` on a terminal: one question, one line of answer.
import { createInterface } from 'node:readline';

/** True when the person answers y or yes (anything else, or end of input, is no). */
export function askToProceed(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(false);
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    });
  });
}
