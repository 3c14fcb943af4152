import type { ParseArgsConfig } from 'node:util';
import { ApiClient } from './api-client.js';
import { CliError } from './cli-errors.js';
import { readStoredToken } from './token-store.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** The process's streams and environment, passed in so commands never reach for globals. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandInput {
  values: OptionValues;
  positionals: string[];
  io: CliIo;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** `registro-os <name> ...` synopsis and details, for `--help`. */
  help: string;
  options: OptionSpecs;
  /** Exit code: 0 ok, 1 error (2, usage, is raised as a UsageError). */
  run(input: CommandInput): Promise<number>;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';

/** Options every command takes. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  server: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_HELP = `Connection (every command):
  --server URL   the service (env REGISTRO_OS_URL, else the server of the stored login,
                 else ${DEFAULT_SERVER})
  --token JWT    a bearer token (env REGISTRO_OS_TOKEN, else the one stored by login)
  -h, --help     this help`;

export function serverOf(values: OptionValues, env: NodeJS.ProcessEnv, stored?: string): string {
  const server = stringOption(values, 'server') ?? env.REGISTRO_OS_URL ?? stored ?? DEFAULT_SERVER;
  if (!/^https?:\/\/[^\s]+$/.test(server)) {
    throw new CliError(`the server URL must start with http:// or https:// (got "${server}")`);
  }
  return server.replace(/\/+$/, '');
}

/**
 * A client for the chosen server with the best token at hand: the flag, the environment, or the
 * stored login — the stored token only for the server it was issued by, so it never leaks to
 * another one.
 */
export async function authenticatedClient(
  values: OptionValues,
  env: NodeJS.ProcessEnv,
): Promise<ApiClient> {
  const stored = await readStoredToken(env);
  const server = serverOf(values, env, stored?.server);
  const token =
    stringOption(values, 'token') ??
    (env.REGISTRO_OS_TOKEN || undefined) ??
    (stored && stored.server === server ? stored.access_token : undefined);
  if (!token) {
    throw new CliError(
      `not logged in to ${server}: run registro-os login (or set REGISTRO_OS_TOKEN)`,
    );
  }
  return new ApiClient(server, token);
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
