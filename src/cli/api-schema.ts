import type { components } from '../../clients/typescript/src/schema.js';

/**
 * The service's answers as the CLI reads them: the generated contract (`openapi.json` →
 * `clients/typescript`), never hand-written copies. Type-only, so the CLI loads no server code.
 */
type Schemas = components['schemas'];
export type AccessToken = Schemas['AccessTokenDto'];
export type ScrapeAccepted = Schemas['ScrapeAcceptedDto'];
export type BatchAccepted = Schemas['BatchAcceptedDto'];
export type TaskStatus = Schemas['TaskStatusDto'];
export type TaskItemResult = Schemas['TaskItemResultDto'];
export type ScrapePath = NonNullable<TaskItemResult['path']>;
export type ProgressEventData = Schemas['BatchProgressEventDto'];
export type ItemEventData = Schemas['BatchItemEventDto'];
export type ResultsJson = Schemas['BatchResultsDto'];
export type ApiErrorBody = Schemas['ErrorDto'];
export type UserStatistics = Schemas['UserStatisticsDto'];
