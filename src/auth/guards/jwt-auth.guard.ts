import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { AccessTokenClaims, AuthenticatedUser } from '../authenticated-user.js';
import { IS_PUBLIC } from '../decorators/public.decorator.js';
import { UsersService } from '../users.service.js';
import { extractAccessToken } from '../extract-access-token.js';

/**
 * Global guard: every route needs a valid bearer token unless marked `@Public()`. The user is
 * re-read on each request, so deactivation and password resets take effect at once.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    request.user = await this.authenticate(extractAccessToken(request));
    return true;
  }

  /** Resolves a raw token to its user, or throws 401. */
  async authenticate(token: string | undefined): Promise<AuthenticatedUser> {
    if (!token) throw new UnauthorizedException('missing bearer token');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('invalid or expired token');
    }
    const user = await this.users.findForToken(claims.sub, claims.ver);
    if (!user) throw new UnauthorizedException('token is no longer valid');
    return { id: user.id, username: user.username, role: user.role };
  }
}
