/** The original system's four warnings, and refused target credentials. */
export const ALERT_RULES = [
  'error_rate',
  'slow_os',
  'queue_backlog',
  'worker_memory',
  'credentials_refused',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** A rule's condition holding now, for one subject. */
export interface AlertCondition {
  rule: AlertRule;
  subject: string;
  severity: 'warning' | 'critical';
  value: number;
  threshold: number;
  message: string;
}
