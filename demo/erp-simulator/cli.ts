import { CLI_USAGE, parseCliOptions } from './cli-options.js';
import { startSimulator } from './index.js';

/** `npm run simulator -- --port 4010 --layout b --truth ...`: runs until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    process.stdout.write(CLI_USAGE);
    return;
  }
  const simulator = await startSimulator(command.options);
  const o = simulator.options();
  process.stdout.write(
    `ERP simulator listening on ${simulator.url} (layout ${o.layout}, ${o.encoding}, truth ${o.truth ? 'on' : 'off'}, user ${o.user})\n`,
  );
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
