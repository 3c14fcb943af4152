#!/usr/bin/env node
// The CLI is compiled by `nest build` into dist/cli; say so plainly when it has not been built.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (
    error?.code !== 'ERR_MODULE_NOT_FOUND' ||
    !String(error.message).includes('dist/cli/main.js')
  ) {
    throw error;
  }
  process.stderr.write('registro-os is not built yet: run `npm run build` in the project first.\n');
  process.exitCode = 1;
}
