import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { extractAccessToken } from '../auth/extract-access-token.js';
import { AppConfig } from '../config/app-config.js';

/**
 * `/metrics` opens with `Authorization: Bearer <METRICS_TOKEN>`. Without a token configured the
 * route answers exactly as a missing route does, so an unprotected deployment exposes nothing.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: AppConfig) {
    if (config.METRICS_TOKEN) this.expected = digest(config.METRICS_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.expected) throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
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
