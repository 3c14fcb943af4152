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
import { AdminSessionsService } from '../admin-sessions.service.js';
import { TokenRevocationService } from '../token-revocation.service.js';
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
    private readonly revocations: TokenRevocationService,
    private readonly sessions: AdminSessionsService,
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
    const claims = await this.verify(token);
    const user = await this.users.findForToken(claims.sub, claims.ver);
    if (!user) throw new UnauthorizedException('token is no longer valid');
    return { id: user.id, username: user.username, role: user.role };
  }

  /** The claims of a valid, unexpired, unrevoked token with an expiry and an id; else 401. */
  async verify(token: string | undefined): Promise<AccessTokenClaims & { exp: number }> {
    if (!token) throw new UnauthorizedException('missing bearer token');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('invalid or expired token');
    }
    // A token that never expires could never be contained: refused even when well signed.
    if (typeof claims.exp !== 'number') throw new UnauthorizedException('token has no expiry');
    if (typeof claims.jti !== 'string' || claims.jti === '')
      throw new UnauthorizedException('token has no id (jti)');
    if (await this.revocations.isRevoked(claims.jti))
      throw new UnauthorizedException('token has been revoked');
    return { ...claims, exp: claims.exp };
  }

  /**
   * Resolves an admin-page session id (the cookie) to its user, or throws 401. A session whose
   * user changed password, role or active state since it opened is ended here.
   */
  async authenticateSession(sessionId: string | undefined): Promise<AuthenticatedUser> {
    if (!sessionId) throw new UnauthorizedException('missing bearer token or session cookie');
    const session = await this.sessions.use(sessionId);
    if (!session) throw new UnauthorizedException('session has ended; log in again');
    const user = await this.users.findForToken(session.userId, session.tokenVersion);
    if (!user || user.role !== session.role) {
      await this.sessions.close(sessionId);
      throw new UnauthorizedException('session has ended; log in again');
    }
    return { id: user.id, username: user.username, role: user.role };
  }
}
