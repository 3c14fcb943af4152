import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureHttp } from './common/configure-http.js';
import { ConfigError } from './config/config.error.js';
import { loadConfig } from './config/load-config.js';
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
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message);
  const message = error instanceof Error ? error.message : String(error);
  fail(`Could not start: ${message}`);
});
