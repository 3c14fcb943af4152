import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/<pid>/stat tells it. */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** `comm`: the executable name, at most 15 characters (`chromium`, `node`). */
  name: string;
  /** utime + stime of the process itself, in ms. */
  cpuMs: number;
  /** cutime + cstime: CPU of children it has reaped (a closed renderer lands in its parent's). */
  reapedCpuMs: number;
  rssBytes: number;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

const CLOCK_TICKS = getconf('CLK_TCK', 100);
const PAGE_SIZE = getconf('PAGESIZE', 4096);

/** Reads /proc/<pid>/stat; null when the process is gone. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The name sits in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  const name = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5).
  const at = (field: number) => Number(fields[field - 3]);
  const tickMs = 1000 / CLOCK_TICKS;
  return {
    pid,
    ppid: at(4),
    name,
    cpuMs: (at(14) + at(15)) * tickMs,
    reapedCpuMs: (at(16) + at(17)) * tickMs,
    rssBytes: at(24) * PAGE_SIZE,
  };
}

/** Every process on the machine (those that end while we look are skipped). */
export function listProcesses(): ProcStat[] {
  const found: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const stat = readProcStat(Number(entry));
    if (stat) found.push(stat);
  }
  return found;
}

/** Descendants of `rootPid` (children, grandchildren…) whose name matches `match`. */
export function descendantsOf(
  rootPid: number,
  match: RegExp = /./,
  processes: ProcStat[] = listProcesses(),
): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of processes) {
    const list = children.get(stat.ppid);
    if (list) list.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const out: ProcStat[] = [];
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length > 0) {
    const stat = stack.pop()!;
    if (match.test(stat.name)) out.push(stat);
    stack.push(...(children.get(stat.pid) ?? []));
  }
  return out;
}

/** Sends `signal` to each descendant of `rootPid` and then to it, by pid. */
export function killProcessTree(rootPid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const stat of descendantsOf(rootPid).reverse()) {
    try {
      process.kill(stat.pid, signal);
    } catch {
      // already gone
    }
  }
  try {
    process.kill(rootPid, signal);
  } catch {
    // already gone
  }
}

/**
 * Proportional set size of a process (/proc/<pid>/smaps_rollup): shared pages divided among
 * the processes that share them, so a sum over Chromium's processes does not count its binary
 * and shared memory once per process as an RSS sum does. Slow (tens of ms per Chromium
 * process): read it from another process than the one being measured, and seldom.
 */
export function readPssBytes(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = /^Pss:\s+(\d+) kB/m.exec(text)?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

export interface TreeMemory {
  rssBytes: number;
  pssBytes: number;
  /** The root process's own PSS (Node's, in a worker's tree); the rest is its descendants'. */
  rootPssBytes: number;
  processes: number;
}

/** RSS and PSS of `rootPid` plus its descendants named by `match` (Chromium's by default). */
export function treeMemory(rootPid: number, match: RegExp = /chrom/i): TreeMemory {
  const root = readProcStat(rootPid);
  const members = [...(root ? [root] : []), ...descendantsOf(rootPid, match)];
  const memory: TreeMemory = { rssBytes: 0, pssBytes: 0, rootPssBytes: 0, processes: 0 };
  for (const member of members) {
    const pss = readPssBytes(member.pid);
    if (pss === null) continue; // ended meanwhile
    memory.rssBytes += member.rssBytes;
    memory.pssBytes += pss;
    if (member.pid === rootPid) memory.rootPssBytes = pss;
    memory.processes += 1;
  }
  return memory;
}
