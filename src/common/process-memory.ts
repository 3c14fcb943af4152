import { readdir, readFile } from 'node:fs/promises';

const PAGE_KB = 4;

export interface ProcessMemory {
  node_rss_mb: number;
  /** Proportional set size: Chromium's processes share most of their pages, counted once here. */
  chromium_pss_mb: number;
  total_mb: number;
  chromium_processes: number;
}

/**
 * Memory of this process (RSS) and of the Chromium processes under it (PSS), read from /proc; on
 * systems without /proc only Node's own figure is known. Summing Chromium's RSS would count its
 * shared pages once per process: about 2.5 times its real size with a few contexts open.
 * Asynchronous: reading smaps_rollup takes the kernel tens of milliseconds per Chromium process,
 * which must not stall the event loop (Bull's lock renewals run on it).
 */
export async function processMemory(rootPid: number = process.pid): Promise<ProcessMemory> {
  const nodeMb = process.memoryUsage.rss() / 1_048_576;
  let chromiumKb = 0;
  let chromium = 0;
  try {
    const parent = new Map<number, number>();
    const rssPages = new Map<number, number>();
    const isChrome = new Set<number>();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const fields = stat.slice(close + 2).split(' ');
        const pid = Number(entry);
        parent.set(pid, Number(fields[1]));
        rssPages.set(pid, Number(fields[21]));
        if (/chrom/i.test(stat.slice(stat.indexOf('(') + 1, close))) isChrome.add(pid);
      } catch {
        // the process ended while we looked
      }
    }
    for (const pid of isChrome) {
      for (let up = parent.get(pid); up !== undefined && up > 1; up = parent.get(up)) {
        if (up === rootPid) {
          chromiumKb += (await proportionalKb(pid)) ?? (rssPages.get(pid) ?? 0) * PAGE_KB;
          chromium += 1;
          break;
        }
      }
    }
  } catch {
    // no /proc
  }
  const chromiumMb = chromiumKb / 1024;
  return {
    node_rss_mb: round(nodeMb),
    chromium_pss_mb: round(chromiumMb),
    total_mb: round(nodeMb + chromiumMb),
    chromium_processes: chromium,
  };
}

/** `Pss:` of /proc/<pid>/smaps_rollup, in kB; undefined where the kernel does not offer it. */
async function proportionalKb(pid: number): Promise<number | undefined> {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
