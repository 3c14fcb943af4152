import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.service.js';
import { UsersService } from './users.service.js';

/** Users and credentials, for every role. */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [PasswordHasher, UsersService],
  exports: [UsersService],
})
export class AuthModule {}
