import { ProfileValidationError } from './profile-validation.error.js';
import { loadProfile } from './profile-loader.js';
import { parsePageCheckArgs, runPageCheck } from '../profile-tools/page-check.js';

/**
 * `npm run profile:check -- <file> [more files]`: prints `OK` for a usable profile, or one line
 * per problem naming its path, and exits 1 when any file has a problem (2 on a usage error).
 */
function main(files: string[]): number {
  if (files.length === 0) {
    process.stderr.write('Usage: npm run profile:check -- <profile.json> [more.json ...]\n');
    return 2;
  }
  let failed = false;
  for (const file of files) {
    const prefix = files.length > 1 ? `${file}: ` : '';
    try {
      loadProfile(file);
      process.stdout.write(`${prefix}OK\n`);
    } catch (error) {
      failed = true;
      const lines =
        error instanceof ProfileValidationError ? error.errors : [(error as Error).message];
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** With `--page`: the extractor on a saved page (after the profile itself is checked). */
function mainWithPage(argv: string[]): number {
  const args = parsePageCheckArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(
      `${args}\nUsage: npm run profile:check -- --page saved.html --number N [--side name=file.json] [--status 200] [--url URL] <profile.json>\n`,
    );
    return 2;
  }
  const checked = main([args.profile]);
  if (checked !== 0) return checked;
  return runPageCheck(args, (line) => process.stdout.write(`${line}\n`));
}

const argv = process.argv.slice(2);
process.exitCode = argv.includes('--page') ? mainWithPage(argv) : main(argv);
