/**
 * Bull priorities on the `scraping` queue (1 is the highest). Bull puts jobs added without a
 * priority behind every prioritised one, so user work carries an explicit priority too.
 */
export const JobPriority = {
  /** An OS someone asked for. */
  User: 1,
  /** Re-reads the service starts on its own (keeping open OS fresh). */
  Background: 10,
} as const;
