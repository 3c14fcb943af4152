import { randomUUID } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import type { AccessTokenClaims } from './authenticated-user.js';
import type { AccessTokenDto } from './dto/access-token.dto.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { HashGate } from './hash-gate.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { TokenRevocationService } from './token-revocation.service.js';
import { UsersService } from './users.service.js';

/** Exchanges credentials for an access token, and revokes tokens at logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottleService,
    private readonly hashGate: HashGate,
    private readonly jwt: JwtService,
    private readonly tokens: JwtAuthGuard,
    private readonly revocations: TokenRevocationService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, ip: string): Promise<AccessTokenDto> {
    // The attempt is counted before the password is checked, so a burst cannot outrun the limit.
    const attempt = await this.throttle.reserve(username, ip);
    let user: Awaited<ReturnType<UsersService['verifyCredentials']>>;
    try {
      const leave = this.hashGate.enter();
      try {
        user = await this.users.verifyCredentials(username, password);
      } finally {
        leave();
      }
    } catch (error) {
      // Not checked (no capacity, database error): not a failed guess.
      await attempt.cancel();
      throw error;
    }
    if (!user) {
      // One answer whether the user is unknown, inactive or the password is wrong.
      throw new UnauthorizedException('invalid username or password');
    }
    await attempt.succeeded();
    await this.users.recordLogin(user.id);
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      ver: user.tokenVersion,
      jti: randomUUID(),
    };
    return {
      access_token: await this.jwt.signAsync(claims),
      token_type: 'Bearer',
      expires_in: this.config.JWT_EXPIRES_IN_SECONDS,
    };
  }

  /** Revokes the presented token until it expires. */
  async logout(token: string | undefined): Promise<void> {
    const claims = await this.tokens.verify(token);
    await this.revocations.revoke(claims.jti, claims.exp);
  }
}
