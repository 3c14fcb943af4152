import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** A new password: 8 to 128 characters. */
export const IsNewPassword = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example: 'a long passphrase', minLength: 8, maxLength: 128, format: 'password' }),
    MaxLength(128),
    MinLength(8),
    IsString(),
  );
