import { Injectable, type MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import {
  BatchEventsService,
  compareEventIds,
  FIRST_ID,
  type LoggedBatchEvent,
} from './batch-events.service.js';
import { BatchesService } from './batches.service.js';
import { StreamSlotsService } from './stream-slots.service.js';

const HEARTBEAT_MS = 15_000;

/**
 * The Server-Sent Events of one batch: a `progress` snapshot first, then `progress` and `item`
 * events as they happen, and a `final` event with the full status, after which the stream ends.
 * Events carry ids; given the last id it saw (`Last-Event-ID`), a client is sent what it missed
 * instead of a new snapshot, as long as the batch's event log still holds that id.
 */
@Injectable()
export class BatchStreamService {
  constructor(
    private readonly batches: BatchesService,
    private readonly events: BatchEventsService,
    private readonly slots: StreamSlotsService,
  ) {}

  async open(
    user: AuthenticatedUser,
    batchId: string,
    lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    await this.batches.visible(user, batchId);
    // Held from here until the stream ends (or, if it never starts, until the slot expires).
    const slot = await this.slots.take(user.id);
    return new Observable<MessageEvent>((observer) => {
      let closed = false;
      let lastSent: string | undefined;
      // Live events wait here until the replay or snapshot has been sent, then flow through.
      let pending: LoggedBatchEvent[] | undefined = [];
      let unsubscribe: (() => void) | undefined;
      const send = (event: LoggedBatchEvent) => {
        if (closed) return;
        if (event.id !== undefined) {
          if (lastSent !== undefined && compareEventIds(event.id, lastSent) <= 0) return;
          lastSent = event.id;
        }
        observer.next({ id: event.id, type: event.type, data: event.data });
        if (event.type === 'final') {
          closed = true;
          observer.complete();
        }
      };
      const live = (event: LoggedBatchEvent) => (pending ? pending.push(event) : send(event));
      const heartbeat = setInterval(() => {
        if (closed) return;
        observer.next({ type: 'ping', data: { at: new Date().toISOString() } });
        void slot.renew();
      }, HEARTBEAT_MS);
      // Subscribe before reading the log and the snapshot, so nothing happening in between is missed.
      this.events
        .subscribe(batchId, live)
        .then(async (stop) => {
          unsubscribe = stop;
          const missed = lastEventId
            ? await this.events.since(batchId, lastEventId).catch(() => null)
            : null;
          if (missed) {
            lastSent = lastEventId;
            for (const event of missed) send(event);
            const status = await this.batches.status(user, batchId);
            // The final event may be missing from the log (publishing is best effort).
            if (status.status !== 'processing') send({ type: 'final', data: status });
          } else {
            const at = (await this.events.latestId(batchId)) ?? FIRST_ID;
            const status = await this.batches.status(user, batchId);
            if (status.status !== 'processing') {
              send({ id: at, type: 'final', data: status });
            } else {
              const { task_id, state, processed, total, progress, message } = status;
              send({
                id: at,
                type: 'progress',
                data: { task_id, state, processed, total, progress, message },
              });
            }
          }
          const queued = pending ?? [];
          pending = undefined;
          for (const event of queued) send(event);
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
