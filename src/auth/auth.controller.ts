import { Body, Controller, HttpCode, HttpStatus, Ip, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorDto } from '../common/dto/error.dto.js';
import { AuthService } from './auth.service.js';
import { Public } from './decorators/public.decorator.js';
import { AccessTokenDto } from './dto/access-token.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { extractAccessToken } from './extract-access-token.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a username and password for a bearer token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'Wrong credentials (same answer for unknown users).',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorDto,
    description:
      'Too many failed logins for this username and address, this address, or this username.',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'Too many password checks at once (LOGIN_MAX_CONCURRENT_HASHES); retry shortly.',
  })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<AccessTokenDto> {
    return this.auth.login(body.username, body.password, ip);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the presented bearer token (it is refused from now on)' })
  @ApiNoContentResponse({ description: 'The token is revoked until it would have expired.' })
  @ApiUnauthorizedResponse({ type: ErrorDto })
  async logout(@Req() request: Request): Promise<void> {
    await this.auth.logout(extractAccessToken(request));
  }
}
