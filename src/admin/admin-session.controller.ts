import { Controller, Delete, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators/public.decorator.js';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { extractAccessToken } from '../auth/extract-access-token.js';
import { AppConfig } from '../config/app-config.js';
import { adminSessionCookie, clearedAdminSessionCookie } from './admin-session-cookie.js';

/**
 * The admin page's session: after `POST /api/auth/login`, the page posts its token here (as a
 * bearer token, checked by the global guards) and gets it back as an HttpOnly cookie limited to
 * `/admin`, so the queue board opens in a plain browser tab. Lives under `/admin`, beside what
 * the cookie opens, and out of Swagger: it belongs to the page, not to the JSON API.
 */
@ApiExcludeController()
@Controller('admin/session')
export class AdminSessionController {
  constructor(private readonly config: AppConfig) {}

  @Roles('admin')
  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  open(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    // The guards accepted this very token, so it is the one to keep.
    const token = extractAccessToken(request)!;
    response.setHeader(
      'Set-Cookie',
      adminSessionCookie(token, this.config.JWT_EXPIRES_IN_SECONDS, request.secure),
    );
  }

  /** Logout: works with an expired token too, so it needs none. */
  @Public()
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  close(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.setHeader('Set-Cookie', clearedAdminSessionCookie(request.secure));
  }
}
