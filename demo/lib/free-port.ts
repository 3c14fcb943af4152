import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago, for a child process to listen on. It is picked below the
 * kernel's ephemeral range: a port from that range (what `listen(0)` hands out) can be taken by
 * any outgoing connection between this check and the child's own `listen`, which made a started
 * service fail with EADDRINUSE now and then while other tests were busy.
 */
export async function freePort(): Promise<number> {
  const [low, high] = [20_000, ephemeralRangeStart() - 1];
  for (let attempt = 0; high > low && attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await isFree(port)) return port;
  }
  return listenOnce(0);
}

function ephemeralRangeStart(): number {
  try {
    const start = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return Number.isInteger(start) && start > 0 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

function isFree(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

/** Listens on every address (as the service does), closes, and says which port it had. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '0.0.0.0', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}
