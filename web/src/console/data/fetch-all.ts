/** Reads every page of a list route (`?limit=&offset=`), 1,000 at a time. */
import { get, type ApiResult } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';

export async function fetchAll<T>(path: string, query: Record<string, string> = {}): Promise<ApiResult<T[]>> {
  const items: T[] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await get<Page<T>>(path, { ...query, limit: 1000, offset });
    if (!r.ok) return r;
    items.push(...r.data.items);
    if (r.data.items.length === 0 || items.length >= r.data.total) break;
  }
  return { ok: true, status: 200, data: items };
}
