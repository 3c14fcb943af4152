import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { NoNulCharacters } from '../../common/dto/no-nul-characters.js';

export class LoginDto {
  @ApiProperty({ example: 'maria.souza' })
  @NoNulCharacters()
  @MaxLength(64)
  @MinLength(1)
  @IsString()
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @MaxLength(128)
  @MinLength(1)
  @IsString()
  password!: string;
}
