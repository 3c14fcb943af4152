import { answer as body, ApiClient, ApiError } from '../api-client.js';
import type { AccessToken } from '../api-schema.js';
import { CliError, UsageError } from '../cli-errors.js';
import { serverOf, stringOption, write, type Command } from '../command.js';
import { formatDuration } from '../format.js';
import { prompt, readAll } from '../prompt.js';
import { readStoredToken, writeStoredToken } from '../token-store.js';

export const loginCommand: Command = {
  name: 'login',
  summary: 'log in and keep the token (or print it)',
  help: `Usage: registro-os login [--username NAME] [--password-stdin] [--print]

Logs in (POST /api/auth/login) and stores the token in ~/.config/registro-os/token.json
(readable by you only), for the server it came from.

  -u, --username NAME   the account (env REGISTRO_OS_USERNAME; asked for when missing)
  --password-stdin      read the password from standard input
                        (else env REGISTRO_OS_PASSWORD, else asked for without echo)
  --print               print the token instead of storing it:
                        export REGISTRO_OS_TOKEN=$(registro-os login --print)`,
  options: {
    username: { type: 'string', short: 'u' },
    'password-stdin': { type: 'boolean' },
    print: { type: 'boolean' },
  },
  async run({ values, positionals, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const server = serverOf(values, io.env, (await readStoredToken(io.env))?.server);
    const interactive = Boolean(io.stdin.isTTY);
    let username = stringOption(values, 'username') ?? io.env.REGISTRO_OS_USERNAME;
    if (!username && interactive) username = await prompt(io, `Username for ${server}: `);
    if (!username) throw new UsageError('no username: pass --username or set REGISTRO_OS_USERNAME');
    let password: string | undefined;
    if (values['password-stdin']) password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    else password = io.env.REGISTRO_OS_PASSWORD;
    if (!password && interactive && !values['password-stdin']) {
      password = await prompt(io, 'Password: ', true);
    }
    if (!password) {
      throw new UsageError('no password: use --password-stdin or set REGISTRO_OS_PASSWORD');
    }

    let answer: AccessToken;
    try {
      answer = body(
        await new ApiClient(server).api.POST('/api/auth/login', { body: { username, password } }),
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new CliError(`login failed: ${error.body?.message ?? 'wrong username or password'}`);
      }
      throw error;
    }
    if (values.print) {
      write(io.stdout, answer.access_token);
      return 0;
    }
    const file = await writeStoredToken(io.env, {
      server,
      username,
      access_token: answer.access_token,
      expires_at: new Date(Date.now() + answer.expires_in * 1_000).toISOString(),
    });
    write(
      io.stdout,
      `Logged in to ${server} as ${username}; token stored in ${file} (valid for ${formatDuration(answer.expires_in * 1_000)}).`,
    );
    return 0;
  },
};
