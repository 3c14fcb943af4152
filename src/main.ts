import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureHttp } from './common/configure-http.js';
import { ConfigError } from './config/config.error.js';
import { loadConfig } from './config/load-config.js';
import { ProfileValidationError } from './scraping/profile/profile-validation.error.js';
import { ROLES, type Role } from './config/app-config.js';

/** `node dist/main.js [api|worker|scheduler|all]`; the argument wins over `ROLE`. */
async function bootstrap(): Promise<void> {
  const roleArg = process.argv[2];
  if (roleArg !== undefined && !ROLES.includes(roleArg as Role)) {
    fail(`Unknown role "${roleArg}": use one of ${ROLES.join(', ')}`);
  }
  const config = loadConfig({ ...process.env, ...(roleArg ? { ROLE: roleArg } : {}) });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
    // Boot errors reach the handler below (one clear line) instead of aborting the process.
    abortOnError: false,
  });
  configureHttp(app, config);
  await app.listen(config.PORT, config.HOST);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // A hard deadline in case something refuses to close.
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 15_000).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // A crash of our own code still closes the browser, so no Chromium outlives the process.
  process.once('uncaughtException', (error) => {
    process.stderr.write(`Uncaught exception: ${error.stack ?? error.message}\n`);
    setTimeout(() => process.exit(1), 10_000).unref();
    app
      .close()
      .catch(() => undefined)
      .finally(() => process.exit(1));
  });
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ProfileValidationError) fail(error.message);
  const message = error instanceof Error ? error.message : String(error);
  fail(`Could not start: ${message}`);
});
