import type { LaunchOptions } from 'playwright';

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
