import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import type { AccessTokenClaims } from './authenticated-user.js';
import type { AccessTokenDto } from './dto/access-token.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { UsersService } from './users.service.js';

/** Exchanges credentials for an access token. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottleService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, ip: string): Promise<AccessTokenDto> {
    await this.throttle.assertAllowed(username, ip);
    const user = await this.users.verifyCredentials(username, password);
    if (!user) {
      await this.throttle.recordFailure(username, ip);
      // One answer whether the user is unknown, inactive or the password is wrong.
      throw new UnauthorizedException('invalid username or password');
    }
    await this.throttle.reset(username, ip);
    await this.users.recordLogin(user.id);
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      ver: user.tokenVersion,
    };
    return {
      access_token: await this.jwt.signAsync(claims),
      token_type: 'Bearer',
      expires_in: this.config.JWT_EXPIRES_IN_SECONDS,
    };
  }
}
