import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { AdminBootstrapService } from './admin-bootstrap.service.js';
import { AdminSessionsService } from './admin-sessions.service.js';
import { AuthController } from './auth.controller.js';
import { AuthModule } from './auth.module.js';
import { AuthService } from './auth.service.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { RolesGuard } from './guards/roles.guard.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { HashGate } from './hash-gate.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { TokenRevocationService } from './token-revocation.service.js';
import { UsersController } from './users.controller.js';

/** Login, user management and the global guards of the HTTP API. */
@Module({
  imports: [
    AuthModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: resolveJwtSecret(config),
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_EXPIRES_IN_SECONDS },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    AuthService,
    LoginThrottleService,
    HashGate,
    TokenRevocationService,
    AdminSessionsService,
    AdminBootstrapService,
    JwtAuthGuard,
    // Order matters: authentication first, then roles.
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [JwtAuthGuard, AdminSessionsService, AuthModule],
})
export class AuthApiModule {}
