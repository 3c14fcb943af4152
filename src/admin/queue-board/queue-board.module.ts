import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bull';
import {
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import type { Queue } from 'bull';
import type { Request, RequestHandler, Response } from 'express';
import { AuthApiModule } from '../../auth/auth-api.module.js';
import { ALL_QUEUES } from '../../queues/queue-names.js';
import { AdminOnlyMiddleware } from './admin-only.middleware.js';

/** Where the board lives: outside the `/api` prefix, next to the admin page. */
export const QUEUE_BOARD_PATH = 'admin/queues';
const QUEUE_BOARD = Symbol('QUEUE_BOARD');

/**
 * Bull Board (the Flower of this stack) over the three queues, for admins only (`api` role).
 * Jobs can be retried, promoted or removed from it, as an admin could with Bull directly.
 */
@Module({
  imports: [AuthApiModule],
  providers: [
    AdminOnlyMiddleware,
    {
      provide: QUEUE_BOARD,
      inject: ALL_QUEUES.map((name) => getQueueToken(name)),
      useFactory: (...queues: Queue[]): ExpressAdapter => {
        const board = new ExpressAdapter().setBasePath(`/${QUEUE_BOARD_PATH}`);
        createBullBoard({
          queues: queues.map((queue) => new BullAdapter(queue)),
          // @bull-board/express pins its @bull-board/api exactly; package.json pins the same
          // version, so there is one copy and one IServerAdapter type.
          serverAdapter: board,
          options: { uiConfig: { boardTitle: 'RegistroOS · filas' } },
        });
        return board;
      },
    },
  ],
})
export class QueueBoardModule implements NestModule {
  constructor(@Inject(QUEUE_BOARD) private readonly board: ExpressAdapter) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(AdminOnlyMiddleware, mountedBoard(this.board.getRouter()))
      .forRoutes(
        { path: QUEUE_BOARD_PATH, method: RequestMethod.ALL },
        { path: `${QUEUE_BOARD_PATH}/{*path}`, method: RequestMethod.ALL },
      );
  }
}

/** The Express app Bull Board builds, as far as it is used here. */
interface BoardApp {
  disable(setting: string): unknown;
  handle(request: Request, response: Response, done: (error?: unknown) => void): void;
}

/**
 * The board is an Express app of its own, with routes relative to where it is mounted; Nest runs
 * middleware with the full URL. So it is mounted here as `app.use(path, subApp)` would: the base
 * path stripped for it, the request restored if it passes the request on.
 */
function mountedBoard(board: BoardApp): RequestHandler {
  const base = `/${QUEUE_BOARD_PATH}`;
  board.disable('x-powered-by');
  return (request, response, next) => {
    const { url, baseUrl } = request;
    const requestPrototype = Object.getPrototypeOf(request) as object;
    const responsePrototype = Object.getPrototypeOf(response) as object;
    const rest = request.originalUrl.slice(base.length);
    request.url = rest.startsWith('/') ? rest : `/${rest}`;
    request.baseUrl = base;
    board.handle(request, response, (error) => {
      Object.setPrototypeOf(request, requestPrototype);
      Object.setPrototypeOf(response, responsePrototype);
      request.url = url;
      request.baseUrl = baseUrl;
      next(error);
    });
  };
}
