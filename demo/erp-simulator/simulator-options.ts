/** Every knob of the simulator, with the defaults a plain `npm run simulator` uses. */

export type SimulatorLayout = 'a' | 'b' | 'c';
export type PageEncoding = 'utf-8' | 'windows-1252';
/** OS pages that misbehave (layout c): a script that never returns, or a deep DOM and giant script. */
export type HostilePage = 'off' | 'script-loop' | 'huge';

export interface SimulatorOptions {
  /** 0 (the programmatic default) picks a free port; the CLI defaults to 4010. */
  port: number;
  host: string;
  /**
   * Same data, three page structures: `a` (URL lookup, tables), `b` (search form, div/dl) or `c`
   * (script-only: script login, postback search, data rendered by script).
   */
  layout: SimulatorLayout;
  /** Serve `GET /__truth/os/:numero`. */
  truth: boolean;
  user: string;
  password: string;
  /** Fixed delay before every app page or JSON answer. */
  latencyMs: number;
  /** Extra random delay in [0, jitterMs] on top of `latencyMs`. */
  jitterMs: number;
  /** Share of app requests answered 500. */
  errorRate: number;
  /** Share of app requests never answered (until the client gives up or the server closes). */
  hangRate: number;
  /** Share of authenticated requests answered 200 with the expired-session page (session ended). */
  expireRate: number;
  /** Concurrent sessions per account; logging in beyond it logs the oldest out. */
  maxSessions: number;
  /** A session unused this long is over. */
  sessionIdleMs: number;
  /** A session older than this is over, used or not. */
  sessionMaxAgeMs: number;
  /** Share of valid OS numbers that do not exist (stable per seed). */
  notFoundRate: number;
  /** Charset of HTML pages (JSON is always UTF-8). */
  encoding: PageEncoding;
  /** Latency grows with concurrent in-flight requests. */
  overload: boolean;
  /** Added delay per in-flight request beyond `overloadFreeSlots`. */
  overloadStepMs: number;
  /** In-flight requests the server absorbs before it slows down. */
  overloadFreeSlots: number;
  /** Seeds both the data and the fault dice. */
  seed: number;
  /** Delay of the third-party analytics script. */
  analyticsDelayMs: number;
  /** Layout c: OS pages that stall a browser (`script-loop`) or weigh on it (`huge`). */
  hostile: HostilePage;
}

export const DEFAULT_SIMULATOR_OPTIONS: Readonly<SimulatorOptions> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  layout: 'a',
  truth: false,
  user: 'demo',
  password: 'demo',
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  hangRate: 0,
  expireRate: 0,
  maxSessions: 10,
  sessionIdleMs: 10 * 60_000,
  sessionMaxAgeMs: 60 * 60_000,
  notFoundRate: 0.03,
  encoding: 'utf-8',
  overload: false,
  overloadStepMs: 20,
  overloadFreeSlots: 4,
  seed: 1,
  analyticsDelayMs: 1500,
  hostile: 'off',
});

const RATES = ['errorRate', 'hangRate', 'expireRate', 'notFoundRate'] as const;
const NON_NEGATIVE = [
  'latencyMs',
  'jitterMs',
  'sessionIdleMs',
  'sessionMaxAgeMs',
  'overloadStepMs',
  'overloadFreeSlots',
  'analyticsDelayMs',
] as const;

/** Problems with a set of options, one line each; empty when they are usable. */
export function optionProblems(options: SimulatorOptions): string[] {
  const problems: string[] = [];
  for (const key of RATES) {
    const value = options[key];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      problems.push(`${key}: must be a number between 0 and 1`);
    }
  }
  for (const key of NON_NEGATIVE) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${key}: must be a number >= 0`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    problems.push('port: must be an integer between 0 and 65535');
  }
  if (!Number.isInteger(options.maxSessions) || options.maxSessions < 1) {
    problems.push('maxSessions: must be an integer >= 1');
  }
  if (!Number.isInteger(options.seed)) problems.push('seed: must be an integer');
  if (!['a', 'b', 'c'].includes(options.layout)) problems.push("layout: must be 'a', 'b' or 'c'");
  if (options.encoding !== 'utf-8' && options.encoding !== 'windows-1252') {
    problems.push("encoding: must be 'utf-8' or 'windows-1252'");
  }
  if (!['off', 'script-loop', 'huge'].includes(options.hostile))
    problems.push("hostile: must be 'off', 'script-loop' or 'huge'");
  if (!options.user || !options.password) problems.push('user/password: must be non-empty');
  return problems;
}

/** Defaults overlaid with `overrides`; throws with every problem when the result is unusable. */
export function resolveSimulatorOptions(
  overrides: Partial<SimulatorOptions> = {},
  base: SimulatorOptions = DEFAULT_SIMULATOR_OPTIONS,
): SimulatorOptions {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<SimulatorOptions>;
  const options = { ...base, ...defined };
  const problems = optionProblems(options);
  if (problems.length > 0) throw new Error(`Invalid simulator options: ${problems.join('; ')}`);
  return options;
}
