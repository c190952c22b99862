// Asks for the initial Zope user on the terminal (the recipe's get_inituser):
// user name (empty = skip), password twice without echo.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface Credentials {
  name: string;
  password: string;
}

/** Returns undefined when the person leaves the user name empty. */
export async function promptInitialUser(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<Credentials | undefined> {
  output.write('Please choose a username and password for the initial user.\nThese will be the credentials you use to initially manage\nyour new Zope instance.\n\n');
  const name = (await ask('Username: ', false, input, output)).trim();
  if (!name) return undefined;
  for (;;) {
    const password = await ask('Password: ', true, input, output);
    const verify = await ask('Verify password: ', true, input, output);
    if (password === verify) return { name, password };
    output.write('Password mismatch, please try again...\n');
  }
}

function ask(question: string, hidden: boolean, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<string> {
  let muted = false;
  // echo the question, but nothing typed after it while `muted`
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) output.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: hidden && (input as { isTTY?: boolean }).isTTY === true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) output.write('\n');
      resolve(answer);
    });
    muted = hidden;
  });
}
