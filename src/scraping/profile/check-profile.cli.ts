import { ProfileValidationError } from './profile-validation.error.js';
import { loadProfile } from './profile-loader.js';

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

process.exitCode = main(process.argv.slice(2));
