import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine a result was measured on, written beside every result. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  chromium: string | null;
  os: string;
}

/** Describes this machine; `chromiumPath` defaults to `CHROMIUM_PATH` or Debian's. */
export function describeMachine(
  chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    chromium: chromiumVersion(chromiumPath),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function chromiumVersion(path: string): string | null {
  try {
    // Debian's wrapper script may complain on stderr; the version is on stdout.
    const out = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 15_000,
    });
    return /Chrom(?:e|ium)\s+[\d.]+/.exec(out)?.[0] ?? (out.trim() || null);
  } catch {
    return null;
  }
}
