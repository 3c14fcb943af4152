import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../demo/erp-simulator/index.js';

export type { RunningSimulator };

/** A simulator with its truth endpoint on, on a free port. */
export function startTestSimulator(
  options: Partial<SimulatorOptions> = {},
): Promise<RunningSimulator> {
  return startSimulator({ truth: true, ...options });
}

/** The ground truth of an OS, or null when it does not exist. */
export async function truthOf(
  simulator: RunningSimulator,
  osNumber: string,
): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${simulator.url}/__truth/os/${osNumber}`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`truth of ${osNumber}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The environment that points the service at a simulator. */
export function targetEnv(
  simulator: RunningSimulator,
  layout: 'a' | 'b' | 'c' = 'a',
): Record<string, string> {
  return {
    TARGET_PROFILE:
      layout === 'a' ? 'profiles/erp-simulator.json' : `profiles/erp-simulator-${layout}.json`,
    TARGET_BASE_URL: simulator.url,
    TARGET_USERNAME: 'demo',
    TARGET_PASSWORD: 'demo',
  };
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping order. */
export async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}
