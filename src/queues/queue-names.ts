/** The three queues of the original system; the names are shared with existing dashboards. */
export const QueueName = {
  Scraping: 'scraping',
  Batch: 'scraping_batch',
  Maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
