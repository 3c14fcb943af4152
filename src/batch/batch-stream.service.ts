import { Injectable, type MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { BatchEventsService, type BatchEvent } from './batch-events.service.js';
import { BatchesService } from './batches.service.js';
import { StreamSlotsService } from './stream-slots.service.js';

const HEARTBEAT_MS = 15_000;

/**
 * The Server-Sent Events of one batch: a `progress` snapshot first, then `progress` and `item`
 * events as they happen, and a `final` event with the full status, after which the stream ends.
 */
@Injectable()
export class BatchStreamService {
  constructor(
    private readonly batches: BatchesService,
    private readonly events: BatchEventsService,
    private readonly slots: StreamSlotsService,
  ) {}

  async open(user: AuthenticatedUser, batchId: string): Promise<Observable<MessageEvent>> {
    await this.batches.visible(user, batchId);
    // Held from here until the stream ends (or, if it never starts, until the slot expires).
    const slot = await this.slots.take(user.id);
    return new Observable<MessageEvent>((observer) => {
      let sequence = 0;
      let closed = false;
      let unsubscribe: (() => void) | undefined;
      const send = (event: BatchEvent) => {
        if (closed) return;
        observer.next({ id: String(++sequence), type: event.type, data: event.data });
        if (event.type === 'final') {
          closed = true;
          observer.complete();
        }
      };
      const heartbeat = setInterval(() => {
        if (closed) return;
        observer.next({ type: 'ping', data: { at: new Date().toISOString() } });
        void slot.renew();
      }, HEARTBEAT_MS);
      // Subscribe before reading the snapshot, so nothing happening in between is missed.
      this.events
        .subscribe(batchId, send)
        .then(async (stop) => {
          unsubscribe = stop;
          const status = await this.batches.status(user, batchId);
          if (status.status !== 'processing') {
            send({ type: 'final', data: status });
            return;
          }
          const { task_id, state, processed, total, progress, message } = status;
          send({ type: 'progress', data: { task_id, state, processed, total, progress, message } });
        })
        .catch((error: unknown) => observer.error(error));
      return () => {
        closed = true;
        clearInterval(heartbeat);
        unsubscribe?.();
        void slot.release();
      };
    });
  }
}
