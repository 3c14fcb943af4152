import { runCli } from './run-cli.js';

// `registro-os` (bin/registro-os.js). Nothing of the server is loaded here, so it starts fast.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `registro-os results … | head` closes the pipe early: that is not an error of ours.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.once('SIGINT', () => {
  // Progress bars hide the cursor: give it back. Batches already accepted go on on the server.
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\n');
  process.exit(130);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
