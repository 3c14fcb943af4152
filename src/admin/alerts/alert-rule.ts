/** The original system's four warnings, the layout drift of the target's pages and refused target credentials. */
export const ALERT_RULES = [
  'error_rate',
  'slow_os',
  'queue_backlog',
  'worker_memory',
  'layout_drift',
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
