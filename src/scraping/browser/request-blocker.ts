import { Injectable } from '@nestjs/common';
import type { Route } from 'playwright';
import { isBlockedRequest } from '../profile/browser-block-rules.js';
import { TargetDefinition } from '../target/target-definition.js';

/**
 * Aborts, before they are sent, the requests the profile says a browser must not make (images,
 * fonts, media, stylesheets, third-party scripts), and counts what it blocked.
 */
@Injectable()
export class RequestBlocker {
  private blocked = 0;
  private allowed = 0;

  constructor(private readonly target: TargetDefinition) {}

  async handle(route: Route): Promise<void> {
    const request = route.request();
    if (isBlockedRequest(this.target.profile, request.url(), request.resourceType())) {
      this.blocked += 1;
      await route.abort('blockedbyclient').catch(() => undefined);
      return;
    }
    this.allowed += 1;
    await route.continue().catch(() => undefined);
  }

  stats(): { blocked: number; allowed: number } {
    return { blocked: this.blocked, allowed: this.allowed };
  }
}
