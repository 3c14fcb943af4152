import type { SessionEndReason } from './session-store.js';

export const ASSET_TYPES = ['image', 'font', 'stylesheet', 'script-analytics'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** Counters served as JSON by `GET /__stats`. App requests (pages, JSON) and assets are apart. */
export interface SimulatorStats {
  /** When counting started (start or last reset), ISO time. */
  since: string;
  /** App page and JSON requests. */
  requestsTotal: number;
  /** `"GET /os/detalhe"` → count; requests matching no route count under `"unmatched"`. */
  requestsByRoute: Record<string, number>;
  assetDownloads: Record<AssetType, number>;
  assetBytes: number;
  logins: { successful: number; failed: number };
  activeSessions: number;
  peakActiveSessions: number;
  /** Sessions logged out because the account passed `maxSessions`. */
  sessionsEvicted: number;
  /** Sessions over by idle time or absolute lifetime. */
  sessionsExpired: number;
  /** App requests being handled right now (a hanging request counts until its client leaves). */
  inFlight: number;
  peakInFlight: number;
  assetsInFlight: number;
  peakAssetsInFlight: number;
  /** Faults injected by the knobs: 500 answers, hangs, expired-session pages. */
  errorsServed: { http500: number; hang: number; expired: number };
  /** Pages saying an OS does not exist. */
  notFoundServed: number;
}

function emptyAssetCounts(): Record<AssetType, number> {
  return Object.fromEntries(ASSET_TYPES.map((type) => [type, 0])) as Record<AssetType, number>;
}

/** Mutable counters behind `SimulatorStats`. */
export class SimulatorStatsRecorder {
  private since = new Date();
  private requestsTotal = 0;
  private requestsByRoute: Record<string, number> = {};
  private assetDownloads = emptyAssetCounts();
  private assetBytes = 0;
  private logins = { successful: 0, failed: 0 };
  private peakActiveSessions = 0;
  private sessionsEvicted = 0;
  private sessionsExpired = 0;
  private inFlight = 0;
  private peakInFlight = 0;
  private assetsInFlight = 0;
  private peakAssetsInFlight = 0;
  private errorsServed = { http500: 0, hang: 0, expired: 0 };
  private notFoundServed = 0;

  /** Counts an app request and returns the in-flight count including it. */
  requestStarted(route: string): number {
    this.requestsTotal++;
    this.requestsByRoute[route] = (this.requestsByRoute[route] ?? 0) + 1;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    return this.inFlight;
  }

  requestEnded(): void {
    this.inFlight--;
  }

  assetStarted(type: AssetType, bytes: number): void {
    this.assetDownloads[type]++;
    this.assetBytes += bytes;
    this.assetsInFlight++;
    this.peakAssetsInFlight = Math.max(this.peakAssetsInFlight, this.assetsInFlight);
  }

  assetEnded(): void {
    this.assetsInFlight--;
  }

  login(successful: boolean): void {
    if (successful) this.logins.successful++;
    else this.logins.failed++;
  }

  sessionsActive(count: number): void {
    this.peakActiveSessions = Math.max(this.peakActiveSessions, count);
  }

  sessionEnded(reason: SessionEndReason): void {
    if (reason === 'evicted') this.sessionsEvicted++;
    if (reason === 'idle' || reason === 'max_age') this.sessionsExpired++;
  }

  fault(kind: keyof SimulatorStats['errorsServed']): void {
    this.errorsServed[kind]++;
  }

  notFound(): void {
    this.notFoundServed++;
  }

  /** Zeroes the counters; peaks restart from what is active now. */
  reset(activeSessions: number): void {
    this.since = new Date();
    this.requestsTotal = 0;
    this.requestsByRoute = {};
    this.assetDownloads = emptyAssetCounts();
    this.assetBytes = 0;
    this.logins = { successful: 0, failed: 0 };
    this.peakActiveSessions = activeSessions;
    this.sessionsEvicted = 0;
    this.sessionsExpired = 0;
    this.peakInFlight = this.inFlight;
    this.peakAssetsInFlight = this.assetsInFlight;
    this.errorsServed = { http500: 0, hang: 0, expired: 0 };
    this.notFoundServed = 0;
  }

  snapshot(activeSessions: number): SimulatorStats {
    return {
      since: this.since.toISOString(),
      requestsTotal: this.requestsTotal,
      requestsByRoute: { ...this.requestsByRoute },
      assetDownloads: { ...this.assetDownloads },
      assetBytes: this.assetBytes,
      logins: { ...this.logins },
      activeSessions,
      peakActiveSessions: Math.max(this.peakActiveSessions, activeSessions),
      sessionsEvicted: this.sessionsEvicted,
      sessionsExpired: this.sessionsExpired,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      assetsInFlight: this.assetsInFlight,
      peakAssetsInFlight: this.peakAssetsInFlight,
      errorsServed: { ...this.errorsServed },
      notFoundServed: this.notFoundServed,
    };
  }
}
