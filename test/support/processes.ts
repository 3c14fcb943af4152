import { readdirSync, readFileSync } from 'node:fs';

/** PIDs of Chromium processes descending from `rootPid` (read from /proc, no shared counting). */
export function chromiumDescendants(rootPid: number = process.pid): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      names.set(Number(entry), name);
    } catch {
      // the process ended while we looked
    }
  }
  const descends = (pid: number): boolean => {
    for (
      let current = parents.get(pid);
      current !== undefined && current > 1;
      current = parents.get(current)
    ) {
      if (current === rootPid) return true;
    }
    return false;
  };
  return [...names]
    .filter(([pid, name]) => /chrom/i.test(name) && descends(pid))
    .map(([pid]) => pid);
}
