import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { USER_ROLES, type UserRole } from '../user-role.js';
import { IsNewPassword } from './password.js';
import { IsUsername } from './username.js';

export class CreateUserDto {
  @IsUsername()
  username!: string;

  @IsNewPassword()
  password!: string;

  @ApiProperty({ enum: USER_ROLES, default: 'user', required: false })
  @IsOptional()
  @IsIn(USER_ROLES)
  role: UserRole = 'user';
}
