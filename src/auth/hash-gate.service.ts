import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/**
 * A ceiling on password checks (Argon2, costly in CPU and memory) running at once in this
 * process, so a flood of anonymous logins cannot take every core. Over it a login is refused at
 * once (503 with Retry-After) rather than queued behind the flood.
 */
@Injectable()
export class HashGate {
  private running = 0;

  constructor(private readonly config: AppConfig) {}

  /** A release function, or a 503 when the ceiling is reached. */
  enter(): () => void {
    const ceiling = this.config.LOGIN_MAX_CONCURRENT_HASHES;
    if (ceiling > 0 && this.running >= ceiling) {
      throw new ServiceUnavailableException({
        message: `too many logins are being checked at once (limit ${ceiling}); try again in 1 s`,
        retry_after: 1,
      });
    }
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }
}
