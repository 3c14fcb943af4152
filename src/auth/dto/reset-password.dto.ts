import { IsNewPassword } from './password.js';

export class ResetPasswordDto {
  @IsNewPassword()
  password!: string;
}
