import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** Argon2id password hashes. */
@Injectable()
export class PasswordHasher {
  // Verified when a username is unknown, so a wrong username costs as long as a wrong password.
  private readonly decoy = argon2.hash('decoy password that never matches');

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.decoy), password);
    } catch {
      return false;
    }
  }
}
