import type { Provider } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { TargetDefinition } from './target-definition.js';
import { TargetHttpClient } from './target-http-client.js';

export const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 RegistroOS';

/** The keep-alive HTTP client of the fast path, sized to the politeness limit. */
export const targetHttpClientProvider: Provider = {
  provide: TargetHttpClient,
  inject: [AppConfig, TargetDefinition],
  useFactory: (config: AppConfig, target: TargetDefinition) =>
    new TargetHttpClient({
      baseUrl: target.baseUrl,
      timeoutMs: target.profile.timeouts?.request_ms
        ? Math.min(target.profile.timeouts.request_ms, config.SCRAPER_HTTP_TIMEOUT_MS)
        : config.SCRAPER_HTTP_TIMEOUT_MS,
      connections: config.TARGET_MAX_CONCURRENCY,
      maxBodyBytes: 5 * 1024 * 1024,
      userAgent: USER_AGENT,
      defaultCharset: target.profile.default_charset,
    }),
};
