import { readdirSync, readFileSync } from 'node:fs';

const PAGE_KB = 4;

export interface ProcessMemory {
  node_rss_mb: number;
  chromium_rss_mb: number;
  total_mb: number;
  chromium_processes: number;
}

/**
 * Resident memory of this process and of the Chromium processes under it (read from /proc; on
 * systems without /proc only Node's own figure is known).
 */
export function processMemory(rootPid: number = process.pid): ProcessMemory {
  const nodeMb = process.memoryUsage.rss() / 1_048_576;
  let chromiumKb = 0;
  let chromium = 0;
  try {
    const parent = new Map<number, number>();
    const rssPages = new Map<number, number>();
    const isChrome = new Set<number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
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
          chromiumKb += (rssPages.get(pid) ?? 0) * PAGE_KB;
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
    chromium_rss_mb: round(chromiumMb),
    total_mb: round(nodeMb + chromiumMb),
    chromium_processes: chromium,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
