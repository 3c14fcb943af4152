import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { AppConfig } from './app-config.js';
import { ConfigError } from './config.error.js';

export type EnvSource = Record<string, string | undefined>;

const SECRET_NAMES = /SECRET|PASSWORD|TOKEN/;

/**
 * Validates an environment (by default `process.env`, plus `.env` when present) into a typed
 * `AppConfig`, or throws a `ConfigError` that names each bad variable and its rule.
 */
export function loadConfig(source: EnvSource = withDotEnv(process.env)): AppConfig {
  const known = declaredVariables();
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    // An empty value (`JWT_SECRET=` in a .env file) means "not set".
    if (known.has(key) && value !== undefined && value !== '') plain[key] = value;
  }
  const config = plainToInstance(AppConfig, plain);
  config.contextsTuned = plain.SCRAPER_MAX_CONTEXTS?.trim().toLowerCase() === 'auto';
  const errors = validateSync(config, { forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) throw new ConfigError(errors.map((error) => describe(error, plain)));
  return config;
}

/** Merges `.env` (or the file named by `ENV_FILE`) under the real environment, which wins. */
export function withDotEnv(env: NodeJS.ProcessEnv): EnvSource {
  const file = env.ENV_FILE ?? '.env';
  if (file === 'none' || !existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

let declared: Set<string> | undefined;

/** The variable names `AppConfig` declares a rule for, read from class-validator's metadata. */
export function declaredVariables(): Set<string> {
  declared ??= new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(AppConfig, '', true, false)
      .map((meta) => meta.propertyName),
  );
  return declared;
}

function describe(error: ValidationError, plain: Record<string, string>): string {
  const rules = Object.values(error.constraints ?? {}).join(', ');
  const raw = plain[error.property];
  const shown = raw === undefined || SECRET_NAMES.test(error.property) ? '' : ` (got "${raw}")`;
  return `${rules}${shown}`;
}
