import { createInterface } from 'node:readline/promises';
import type { CliIo } from './command.js';

/** Asks a question on the terminal; `hidden` for passwords (nothing is echoed). */
export async function prompt(io: CliIo, question: string, hidden = false): Promise<string> {
  if (!hidden || !io.stdin.isTTY) {
    const lines = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
    try {
      io.stderr.write(question);
      return (await lines.question('')).trim();
    } finally {
      lines.close();
    }
  }
  io.stderr.write(question);
  const stdin = io.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let answer = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            io.stderr.write('\n');
            return resolve(answer);
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            io.stderr.write('\n');
            return reject(new Error('cancelled'));
          }
          if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
          else answer += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** All of stdin, as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
