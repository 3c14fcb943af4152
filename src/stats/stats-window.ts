/** A statistics window: the last `days` calendar days (today included) in the stats time zone. */
export interface StatsWindow {
  days: number;
  timezone: string;
  /** Local date of the first day (YYYY-MM-DD). */
  fromDay: string;
  /** Local date of today. */
  toDay: string;
  /** The instant the first day starts. */
  from: Date;
  to: Date;
}
