/**
 * The published operation ids, by `Controller.method`: stable names for generated clients
 * (`submitBatch`, not `BatchController_submit`). A route missing here falls back to
 * `<method><Controller>` and the OpenAPI test names it, so the contract is chosen, not derived.
 */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'HealthController.check': 'getHealth',
  'HealthController.live': 'getLiveness',
  'AuthController.login': 'login',
  'AuthController.logout': 'logout',
  'UsersController.list': 'listUsers',
  'UsersController.create': 'createUser',
  'UsersController.get': 'getUser',
  'UsersController.deactivate': 'deactivateUser',
  'UsersController.activate': 'activateUser',
  'UsersController.resetPassword': 'resetUserPassword',
  'ScrapingController.scrape': 'scrapeOs',
  'ScrapingController.status': 'getTaskStatus',
  'ScrapingController.stored': 'getStoredOs',
  'OsChangesController.list': 'listOsChanges',
  'BatchController.submit': 'submitBatch',
  'BatchController.status': 'getBatchStatus',
  'BatchController.list': 'listBatches',
  'BatchController.cancel': 'cancelBatch',
  'BatchController.retryFailed': 'retryFailedOs',
  'BatchController.results': 'getBatchResults',
  'BatchController.events': 'streamBatchEvents',
  'BatchController.eventsTicket': 'createEventsTicket',
  'WebhooksController.create': 'createWebhook',
  'WebhooksController.list': 'listWebhooks',
  'WebhooksController.get': 'getWebhook',
  'WebhooksController.remove': 'deleteWebhook',
  'WebhooksController.deliveries': 'listWebhookDeliveries',
  'WebhooksController.redeliver': 'redeliverWebhook',
  'UserStatisticsController.statisticsOf': 'getScrapingStatistics',
  'QueueStatusController.status': 'getQueueStatus',
  'AdminStatsController.dashboard': 'getDashboard',
  'AdminStatsController.ranking': 'getUsersRanking',
  'AdminStatsController.performance': 'getPerformanceMetrics',
  'SnapshotsController.list': 'listSnapshots',
  'TargetLoginController.clear': 'clearCredentialsRefusal',
  'SnapshotsController.get': 'getSnapshot',
  'SnapshotsController.html': 'getSnapshotHtml',
  'SnapshotsController.screenshot': 'getSnapshotScreenshot',
  'MaintenanceController.runs': 'listMaintenanceRuns',
  'MaintenanceController.trigger': 'triggerMaintenance',
};

/** Swagger's `operationIdFactory`: the id from the table, or a readable fallback. */
export function operationId(controllerKey: string, methodKey: string): string {
  return (
    OPERATION_IDS[`${controllerKey}.${methodKey}`] ??
    `${methodKey}${controllerKey.replace(/Controller$/, '')}`
  );
}
