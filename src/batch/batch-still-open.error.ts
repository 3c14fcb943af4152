/**
 * A run found no OS left to take, yet the batch still has OS `pending` or `running`: another run
 * holds them (a run that lost its job lock and was taken over, then died). Completing the job
 * here would leave those OS to no one, so the job fails this attempt and Bull runs it again after
 * its backoff; that run puts OS left `running` back to `pending` and reads them.
 */
export class BatchStillOpenError extends Error {
  override name = 'BatchStillOpenError';

  constructor(batchId: string) {
    super(`batch ${batchId} still has OS claimed by another run: trying again after backoff`);
  }
}
