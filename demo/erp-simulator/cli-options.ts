import { parseArgs } from 'node:util';
import type { SimulatorOptions } from './simulator-options.js';

export const CLI_USAGE = `Usage: npm run simulator -- [options]

  --port <n>                 port to listen on (default 4010; 0 = any free port)
  --host <addr>              address to bind (default 127.0.0.1)
  --layout a|b|c             page structure (default a; c is script-only)
  --hostile off|script-loop|huge  layout c: OS pages that stall or weigh on a browser (default off)
  --truth                    serve GET /__truth/os/:numero
  --user <name>              account name (default demo)
  --password <secret>        account password (default demo)
  --latency-ms <n>           fixed delay per app request (default 0)
  --jitter-ms <n>            extra random delay in [0, n] (default 0)
  --error-rate <0..1>        share of 500 answers (default 0)
  --hang-rate <0..1>         share of requests never answered (default 0)
  --expire-rate <0..1>       share of authenticated requests answered "Sessão expirada" (default 0)
  --max-sessions <n>         concurrent sessions per account; the oldest is evicted (default 10)
  --session-idle-ms <n>      idle timeout of a session (default 600000)
  --session-max-age-ms <n>   absolute lifetime of a session (default 3600000)
  --not-found-rate <0..1>    share of OS numbers that do not exist (default 0.03)
  --encoding utf-8|windows-1252   charset of HTML pages (default utf-8)
  --overload                 latency grows with concurrent requests
  --overload-step-ms <n>     delay added per in-flight request beyond the free slots (default 20)
  --overload-free-slots <n>  in-flight requests served without slowing down (default 4)
  --analytics-delay-ms <n>   delay of the third-party analytics script (default 1500)
  --seed <n>                 seed of data and fault dice (default 1)
  -h, --help                 show this help
`;

const NUMERIC = {
  port: 'port',
  'latency-ms': 'latencyMs',
  'jitter-ms': 'jitterMs',
  'error-rate': 'errorRate',
  'hang-rate': 'hangRate',
  'expire-rate': 'expireRate',
  'max-sessions': 'maxSessions',
  'session-idle-ms': 'sessionIdleMs',
  'session-max-age-ms': 'sessionMaxAgeMs',
  'not-found-rate': 'notFoundRate',
  'overload-step-ms': 'overloadStepMs',
  'overload-free-slots': 'overloadFreeSlots',
  'analytics-delay-ms': 'analyticsDelayMs',
  seed: 'seed',
} as const;

export type CliCommand = { help: true } | { help: false; options: Partial<SimulatorOptions> };

/** Turns command-line flags into simulator options; throws on an unknown flag or a non-number. */
export function parseCliOptions(argv: string[]): CliCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...Object.fromEntries(
        Object.keys(NUMERIC).map((flag) => [flag, { type: 'string' as const }]),
      ),
      host: { type: 'string' },
      layout: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      encoding: { type: 'string' },
      hostile: { type: 'string' },
      truth: { type: 'boolean' },
      overload: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const options: Partial<SimulatorOptions> = { port: 4010 };
  const record = options as Record<string, unknown>;
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const raw = (values as Record<string, string | boolean | undefined>)[flag];
    if (typeof raw !== 'string') continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value))
      throw new Error(`--${flag}: not a number: ${raw}`);
    record[key] = value;
  }
  for (const key of ['host', 'layout', 'user', 'password', 'encoding', 'hostile'] as const) {
    if (typeof values[key] === 'string') record[key] = values[key];
  }
  if (values.truth) options.truth = true;
  if (values.overload) options.overload = true;
  return { help: false, options };
}
