/**
 * Zod issues as error details a client can word in its own language: a stable code (`zod.too_small`), the values
 * the wording needs (minimum, maximum, expected type, format, allowed values) and the English message for logs.
 */
import type { ErrorDetail } from './errors.ts';

interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
}

const PARAM_KEYS = ['minimum', 'maximum', 'expected', 'format', 'origin', 'divisor', 'keys', 'values'] as const;

export function zodIssueDetails(issues: readonly IssueLike[], prefix: readonly string[]): ErrorDetail[] {
  return issues.map((i) => {
    const params: Record<string, string | number> = {};
    for (const k of PARAM_KEYS) {
      const v = (i as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number' || typeof v === 'string') params[k] = v;
      else if (typeof v === 'bigint') params[k] = Number(v);
      else if (Array.isArray(v)) params[k] = v.map(String).join(', ');
    }
    return { path: [...prefix, ...i.path.map(String)].join('.'), message: i.message, code: `zod.${i.code}`, params };
  });
}
