import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { extractAccessToken } from '../auth/extract-access-token.js';
import { JwtAuthGuard } from '../auth/guards/jwt-auth.guard.js';
import { UsersService } from '../auth/users.service.js';
import { EventsTicketService } from './events-ticket.service.js';

/**
 * Authentication of the batch event stream (marked `@Public()` so the global guard steps aside):
 * a `?ticket=` from `POST …/events-ticket` when present, else the usual bearer token.
 */
@Injectable()
export class BatchEventsAuthGuard implements CanActivate {
  constructor(
    private readonly auth: JwtAuthGuard,
    private readonly tickets: EventsTicketService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const ticket = request.query.ticket;
    if (ticket === undefined) {
      request.user = await this.auth.authenticate(extractAccessToken(request));
      return true;
    }
    if (typeof ticket !== 'string' || ticket.length === 0 || ticket.length > 128)
      throw new UnauthorizedException('ticket must be one string from events-ticket');
    const user = await this.tickets.redeem(ticket, String(request.params.task_id));
    if (!user)
      throw new UnauthorizedException(
        'ticket is unknown, expired, already used or for another batch',
      );
    // Deactivated since the ticket was issued: the ticket dies with the account.
    const account = await this.users.get(user.id).catch(() => null);
    if (!account?.active) throw new UnauthorizedException('token is no longer valid');
    request.user = { id: account.id, username: account.username, role: account.role };
    return true;
  }
}
