import type { TaskState } from './task-state.js';

/** The human sentence of a task's progress, in Portuguese like the original. */
export function taskMessage(state: TaskState, processed: number, total: number): string {
  switch (state) {
    case 'queued':
      return `Na fila: ${total} OS aguardando processamento`;
    case 'throttled':
      return `Aguardando limite de uso: ${total} OS na fila`;
    case 'running':
      return `${processed}/${total} OS processadas…`;
    case 'completed':
      return `Concluído: ${processed}/${total} OS processadas`;
    case 'failed':
      return `Falhou após ${processed}/${total} OS processadas`;
    case 'cancelled':
      return `Cancelado: ${processed}/${total} OS processadas`;
  }
}

export function taskProgress(processed: number, total: number): number {
  return total === 0 ? 100 : Math.round((processed / total) * 1000) / 10;
}
