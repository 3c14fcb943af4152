import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** The answers' and requests' shapes, by the names the contract gives them. */
export type Schemas = components['schemas'];
export type AccessToken = Schemas['AccessTokenDto'];
export type ScrapeAccepted = Schemas['ScrapeAcceptedDto'];
export type BatchAccepted = Schemas['BatchAcceptedDto'];
export type TaskStatus = Schemas['TaskStatusDto'];
export type TaskResult = Schemas['TaskResultDto'];
export type TaskItemResult = Schemas['TaskItemResultDto'];
export type BatchResults = Schemas['BatchResultsDto'];
export type BatchProgressEvent = Schemas['BatchProgressEventDto'];
export type BatchItemEvent = Schemas['BatchItemEventDto'];
export type ApiErrorBody = Schemas['ErrorDto'];

/** A typed client of the RegistroOS Scraper API (openapi-fetch over the generated `paths`). */
export type RegistroOsClient = Client<paths>;

export interface RegistroOsClientOptions {
  /** A bearer token from `POST /api/auth/login` (`setToken` can set it later). */
  token?: string;
  /** Another `fetch` (tests, proxies, error mapping). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * `createRegistroOsClient('https://registro-os.example')`: every path, parameter and answer typed
 * from `openapi.json`. `setToken` changes the bearer token of every later request.
 */
export function createRegistroOsClient(
  baseUrl: string,
  options: RegistroOsClientOptions = {},
): RegistroOsClient & { setToken(token: string | undefined): void } {
  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  let token = options.token;
  const bearer: Middleware = {
    onRequest({ request }) {
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);
  return Object.assign(client, {
    setToken(next: string | undefined): void {
      token = next;
    },
  });
}
