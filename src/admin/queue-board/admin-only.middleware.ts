import { ForbiddenException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { extractAccessToken } from '../../auth/extract-access-token.js';
import { JwtAuthGuard } from '../../auth/guards/jwt-auth.guard.js';
import { assertSameOrigin } from '../../common/same-origin.js';
import { readAdminSessionCookie } from '../admin-session-cookie.js';

/**
 * In front of every path of the queue board (page, assets, API): an admin's bearer token, or the
 * admin page's session cookie. 401 for anyone else, 403 for users, as on `/api/admin`. With the
 * cookie, changes (retry, remove, add, pause) must also come from this service's own pages.
 */
@Injectable()
export class AdminOnlyMiddleware implements NestMiddleware {
  constructor(private readonly auth: JwtAuthGuard) {}

  async use(request: Request, _response: Response, next: NextFunction): Promise<void> {
    const token = extractAccessToken(request);
    let user;
    if (token) user = await this.auth.authenticate(token);
    else {
      user = await this.auth.authenticateSession(readAdminSessionCookie(request));
      assertSameOrigin(request);
    }
    if (user.role !== 'admin')
      throw new ForbiddenException('the queue board requires the admin role');
    next();
  }
}
