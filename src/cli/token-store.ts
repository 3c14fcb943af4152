import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `registro-os login` keeps between runs. */
export interface StoredToken {
  server: string;
  username: string;
  access_token: string;
  /** ISO time the token stops working. */
  expires_at: string;
}

/** `$XDG_CONFIG_HOME/registro-os/token.json`, by default `~/.config/registro-os/token.json`. */
export function tokenFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'registro-os', 'token.json');
}

export async function readStoredToken(env: NodeJS.ProcessEnv): Promise<StoredToken | undefined> {
  try {
    const parsed = JSON.parse(await readFile(tokenFile(env), 'utf8')) as Partial<StoredToken>;
    if (typeof parsed.server === 'string' && typeof parsed.access_token === 'string') {
      return {
        server: parsed.server,
        username: parsed.username ?? '',
        access_token: parsed.access_token,
        expires_at: parsed.expires_at ?? '',
      };
    }
  } catch {
    // No file or not ours: as if never logged in.
  }
  return undefined;
}

/** Writes the token readable by its owner only: it is a credential. */
export async function writeStoredToken(
  env: NodeJS.ProcessEnv,
  token: StoredToken,
): Promise<string> {
  const file = tokenFile(env);
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
