import type { DbHandle } from './db/types.ts';
import type { Actor, AppDeps, ServiceCtx } from './deps.ts';

/** A ServiceCtx outside a request: background jobs, the in-process collector, the CLI. Acts as `system`. */
export function systemServiceCtx(
  deps: Pick<AppDeps, 'clock' | 'secrets' | 'config' | 'log'> & { provisioner?: AppDeps['provisioner']; discoverer?: AppDeps['discoverer'] },
  handle: Pick<DbHandle, 'db' | 'dialect'>,
  options: { requestId: string; actor?: Actor | null },
): ServiceCtx {
  return {
    db: handle.db,
    dialect: handle.dialect,
    clock: deps.clock,
    secrets: deps.secrets,
    config: deps.config,
    log: deps.log,
    actor: options.actor ?? null,
    requestId: options.requestId,
    clientAddress: 'system',
    provisioner: deps.provisioner ?? null,
    discoverer: deps.discoverer ?? null,
    defer: (task) => {
      task.catch((err: unknown) => deps.log.error('background task failed', { requestId: options.requestId, error: String(err) }));
    },
  };
}
