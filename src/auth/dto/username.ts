import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

export const USERNAME_PATTERN = /^[a-z0-9_.@-]{3,64}$/;

/** A username: 3-64 of `a-z 0-9 _ . @ -`, compared case-insensitively (stored lower-case). */
export const IsUsername = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example: 'maria.souza', pattern: USERNAME_PATTERN.source }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    Matches(USERNAME_PATTERN, {
      message: '$property must be 3-64 characters of a-z, 0-9, _ . @ -',
    }),
    IsString(),
  );
