/** The original system's four warnings, and the layout drift of the target's pages. */
export const ALERT_RULES = [
  'error_rate',
  'slow_os',
  'queue_backlog',
  'worker_memory',
  'layout_drift',
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
