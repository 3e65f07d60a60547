import { AppError } from '../../../core/errors.ts';
import type { Discovery } from '../../../core/discovery.ts';
import type { ServiceCtx } from '../../deps.ts';

/** Asks a device what it is. Where this runtime cannot reach devices, says so plainly. */
export async function discoverDevice(
  ctx: ServiceCtx,
  input: { address: string; snmp: { community: string; port: number; version: '2c' | '1' } },
): Promise<Discovery & { ok: true }> {
  if (ctx.discoverer === null) throw new AppError('unavailable', 'this server cannot reach devices; run discovery from a collector on the network');
  const r = await ctx.discoverer.discover({ address: input.address, ...input.snmp }, { timeoutMs: 2000 });
  if (!r.ok) throw new AppError('unavailable', `the device did not answer as expected (${r.error.kind}): ${r.error.message}`);
  return r;
}
