import type { DbHandle } from './db/types.ts';
import type { Actor, AppDeps, ServiceCtx } from './deps.ts';

/**
 * A ServiceCtx: outside a request (background jobs, the in-process collector, the CLI) it acts as `system`; a
 * request passes its client address and, on Workers, its waitUntil so deferred work outlives the response.
 */
export function systemServiceCtx(
  deps: Pick<AppDeps, 'clock' | 'secrets' | 'config' | 'log'> & { provisioner?: AppDeps['provisioner']; discoverer?: AppDeps['discoverer']; mailer?: AppDeps['mailer']; deadLetters?: AppDeps['deadLetters']; pdf?: AppDeps['pdf']; outbound?: AppDeps['outbound'] },
  handle: Pick<DbHandle, 'db' | 'dialect'>,
  options: { requestId: string; actor?: Actor | null; clientAddress?: string; waitUntil?: (task: Promise<unknown>) => void },
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
    clientAddress: options.clientAddress ?? 'system',
    provisioner: deps.provisioner ?? null,
    discoverer: deps.discoverer ?? null,
    mailer: deps.mailer ?? null,
    deadLetters: deps.deadLetters ?? null,
    pdf: deps.pdf ?? null,
    outbound: deps.outbound ?? null,
    defer: (task) => {
      const caught = task.catch((err: unknown) => deps.log.error('background task failed', { requestId: options.requestId, error: String(err) }));
      options.waitUntil?.(caught);
    },
  };
}
