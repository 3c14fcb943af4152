/** The reason work stops early: the process is shutting down (the work resumes elsewhere). */
export class ShutdownInterruption extends Error {
  override name = 'ShutdownInterruption';

  constructor() {
    super('the worker is shutting down');
  }
}
