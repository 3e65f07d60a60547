/**
 * The one place outbound URLs are checked (alert channels' webhook URLs and Telegram API base, webhooks, and the SMS
 * gateway, which calls these two as well). The policy is core/net/outbound-policy.ts with the admin's setting
 * (services/settings/outbound.ts): http(s) only, no `user:password@`; link-local and metadata addresses never;
 * loopback and private networks only when allowed.
 *
 * - `checkChannelUrl` when a URL is saved: the syntax, an IP literal against the policy, and (where the runtime can
 *   resolve names) every address the name resolves to now, so a mistake is named at once.
 * - `channelFetch` when sending: a fetch that resolves the name again, checks every address and connects to the
 *   checked one (server/notify/outbound-fetch-node.ts), so a name that changed its answer since (DNS rebinding)
 *   reaches nothing it may not. Where the runtime cannot (Workers), IP literals are checked and names are left to
 *   the platform, which does not connect to private networks.
 */
import { AppError } from '../../../core/errors.ts';
import { literalAddress, OutboundRefused, outboundAddressProblem, outboundAddressTextProblem, outboundUrlProblem, type OutboundPolicy } from '../../../core/net/outbound-policy.ts';
import type { ServiceCtx } from '../../deps.ts';
import { getOutboundPolicy } from '../settings/outbound.ts';

function refuse(field: string, reason: string): never {
  throw new AppError('validation_failed', `${field}: ${reason}`, { details: [{ path: field, message: reason }] });
}

export async function checkChannelUrl(ctx: ServiceCtx, text: string, field: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(field, 'not a URL');
  }
  const problem = outboundUrlProblem(url);
  if (problem !== null) refuse(field, problem);
  const policy = await getOutboundPolicy(ctx);
  const literal = literalAddress(url);
  if (literal !== null) {
    const p = outboundAddressProblem(literal, policy);
    if (p !== null) refuse(field, `${url.hostname}: ${p}`);
  } else if (ctx.outbound != null) {
    // A name that does not resolve now may later (the receiver is not up yet): it is checked again at every send.
    const addresses = await ctx.outbound.resolve(url.hostname).catch(() => [] as string[]);
    for (const a of addresses) {
      const p = outboundAddressTextProblem(a, policy);
      if (p !== null) refuse(field, `${url.hostname} resolves to ${p}`);
    }
  }
  return url;
}

/** Where names cannot be resolved here: literal addresses checked, names passed to the platform's fetch. */
function literalCheckingFetch(policy: OutboundPolicy): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const problem = outboundUrlProblem(url);
    if (problem !== null) throw new OutboundRefused(problem);
    const literal = literalAddress(url);
    const p = literal === null ? null : outboundAddressProblem(literal, policy);
    if (p !== null) throw new OutboundRefused(`refused to connect to ${url.hostname}: ${p}`);
    return fetch(url, { ...init, redirect: 'manual' });
  }) as typeof fetch;
}

/** The fetch alert channels (and the SMS gateway) send with, under the policy as it is set now. */
export async function channelFetch(ctx: ServiceCtx): Promise<typeof fetch> {
  const policy = await getOutboundPolicy(ctx);
  return ctx.outbound != null ? ctx.outbound.fetchFor(policy) : literalCheckingFetch(policy);
}
