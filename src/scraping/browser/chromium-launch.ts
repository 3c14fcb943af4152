import type { LaunchOptions } from 'playwright';

/**
 * Chromium keeps only the last `--disable-features` it is given, and Playwright passes its own
 * first: ours repeats Playwright's list (1.65; `chromium-launch.spec.ts` fails when Playwright's
 * changes) and adds what a page reader never needs.
 */
export const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  // Headless Chromium is the whole browser: every context is a window that preloads its address
  // bar's two popups, each in a renderer of its own. Never shown here, they cost a third of an
  // idle pool's memory at 5 contexts (437 against 288 MB PSS) and a share of its CPU.
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
];

/** Flags for Debian's Chromium in a container or CI box with no network of its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
  '--mute-audio',
  // The browser only ever opens the one target the profile names, a trusted origin: site
  // isolation would give each of its pages (and any third-party frame) a renderer of its own.
  '--disable-site-isolation-trials',
  '--renderer-process-limit=2',
  // Debian's launcher turns GPU rasterisation on; headless pages are read, never painted for a
  // person. The GPU process's work runs in the browser process.
  '--disable-gpu-rasterization',
  '--in-process-gpu',
  // Nothing the pages need: WebRTC, audio output, background networking of features.
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--disable-audio-output',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

export function chromiumLaunchOptions(executablePath: string, timeoutMs: number): LaunchOptions {
  return {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: timeoutMs,
    // The worker drains on SIGTERM itself and closes the browser last.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}
