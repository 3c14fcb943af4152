import { Controller, Delete, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminSessionsService } from '../auth/admin-sessions.service.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { Public } from '../auth/decorators/public.decorator.js';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { UsersService } from '../auth/users.service.js';
import { assertSameOrigin } from '../common/same-origin.js';
import { AppConfig } from '../config/app-config.js';
import {
  adminSessionCookie,
  clearedAdminSessionCookie,
  readAdminSessionCookie,
} from './admin-session-cookie.js';

/**
 * The admin page's session: after `POST /api/auth/login`, the page posts here with its bearer
 * token (checked by the global guards) and gets an HttpOnly cookie limited to `/admin` holding
 * an opaque session id, so the queue board opens in a plain browser tab. The session lives in
 * Redis and ends at logout, after its idle or absolute timeout, or when the admin's password or
 * role changes. Lives under `/admin`, beside what the cookie opens, and out of Swagger: it
 * belongs to the page, not to the JSON API.
 */
@ApiExcludeController()
@Controller('admin/session')
export class AdminSessionController {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: AdminSessionsService,
    private readonly users: UsersService,
  ) {}

  @Roles('admin')
  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  async open(
    @Req() request: Request & { user: AuthenticatedUser },
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const user = await this.users.get(request.user.id);
    // A page that opens a new session leaves no older one of its own behind.
    const previous = readAdminSessionCookie(request);
    if (previous) await this.sessions.close(previous);
    const sessionId = await this.sessions.open(user);
    response.setHeader(
      'Set-Cookie',
      adminSessionCookie(sessionId, this.config.ADMIN_SESSION_MAX_SECONDS, request.secure),
    );
  }

  /** Logout: ends the session on the server; needs no valid token (it may have expired). */
  @Public()
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  async close(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const sessionId = readAdminSessionCookie(request);
    if (sessionId) assertSameOrigin(request);
    // Cleared in the browser even if the session store cannot be reached right now.
    response.setHeader('Set-Cookie', clearedAdminSessionCookie(request.secure));
    if (sessionId) await this.sessions.close(sessionId);
  }
}
