import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AppConfig } from '../config/app-config.js';
import { RedisService } from '../redis/redis.service.js';

interface TicketClaims {
  batchId: string;
  user: AuthenticatedUser;
}

/**
 * Single-use tickets for a batch's event stream, for clients that cannot send a bearer header
 * (a browser's `EventSource`). A ticket opens one batch's stream, for the user it was issued to,
 * once, within `EVENTS_TICKET_TTL_SECONDS`. Redis keeps only its hash, so a key dump opens nothing.
 */
@Injectable()
export class EventsTicketService {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async issue(user: AuthenticatedUser, batchId: string): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    const claims: TicketClaims = {
      batchId,
      user: { id: user.id, username: user.username, role: user.role },
    };
    await this.redis.client.set(this.key(ticket), JSON.stringify(claims), {
      expiration: { type: 'EX', value: this.config.EVENTS_TICKET_TTL_SECONDS },
    });
    return ticket;
  }

  /** The user a ticket was issued to when it opens this batch; the ticket is spent either way. */
  async redeem(ticket: string, batchId: string): Promise<AuthenticatedUser | undefined> {
    const stored = await this.redis.client.getDel(this.key(ticket));
    if (!stored) return undefined;
    const claims = JSON.parse(stored) as TicketClaims;
    return claims.batchId === batchId ? claims.user : undefined;
  }

  private key(ticket: string): string {
    return this.redis.key('events-ticket', createHash('sha256').update(ticket).digest('hex'));
  }
}
