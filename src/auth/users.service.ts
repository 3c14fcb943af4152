import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository } from 'typeorm';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.service.js';
import type { UserRole } from './user-role.js';

const UNIQUE_VIOLATION = '23505';

/** Users and their credentials. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(username: string, password: string, role: UserRole): Promise<User> {
    const passwordHash = await this.hasher.hash(password);
    try {
      return await this.users.save(this.users.create({ username, passwordHash, role }));
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new ConflictException(`username "${username}" is already taken`);
      }
      throw error;
    }
  }

  async list(page: number, pageSize: number): Promise<{ items: User[]; total: number }> {
    const [items, total] = await this.users.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  /** The user a token belongs to, when it still may act: active and same token version. */
  async findForToken(id: string, tokenVersion: number): Promise<User | null> {
    const user = await this.users.findOneBy({ id });
    return user && user.active && user.tokenVersion === tokenVersion ? user : null;
  }

  /** The active user with these credentials, or null; the same work is done either way. */
  async verifyCredentials(username: string, password: string): Promise<User | null> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.username = :username', { username: username.trim().toLowerCase() })
      .getOne();
    const matches = await this.hasher.verify(user?.passwordHash, password);
    return user && matches && user.active ? user : null;
  }

  async recordLogin(id: string): Promise<void> {
    await this.users.update({ id }, { lastLoginAt: new Date() });
  }

  async setActive(id: string, active: boolean): Promise<User> {
    const user = await this.get(id);
    if (user.active !== active) {
      await this.users.update({ id }, { active, tokenVersion: () => 'token_version + 1' });
    }
    return this.get(id);
  }

  async resetPassword(id: string, password: string): Promise<User> {
    await this.get(id);
    const passwordHash = await this.hasher.hash(password);
    await this.users.update({ id }, { passwordHash, tokenVersion: () => 'token_version + 1' });
    return this.get(id);
  }

  /** Usernames by id, for figures that name users. */
  async usernames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await this.users.find({
      where: { id: In(ids) },
      select: { id: true, username: true },
    });
    return new Map(users.map((user) => [user.id, user.username]));
  }

  async hasAdmin(): Promise<boolean> {
    return this.users.existsBy({ role: 'admin', active: true });
  }
}
