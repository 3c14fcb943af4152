import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { extractAccessToken } from '../auth/extract-access-token.js';
import { AppConfig } from '../config/app-config.js';

/**
 * `/metrics` opens with `Authorization: Bearer <METRICS_TOKEN>` (the route exists only when the
 * token is configured, see `MetricsModule`).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: AppConfig) {
    if (!config.METRICS_TOKEN) throw new Error('MetricsTokenGuard needs METRICS_TOKEN');
    this.expected = digest(config.METRICS_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = extractAccessToken(request);
    if (!token) throw new UnauthorizedException('missing bearer token (METRICS_TOKEN)');
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (!timingSafeEqual(digest(token), this.expected))
      throw new UnauthorizedException('invalid metrics token');
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
