/**
 * The typed API client. Same-origin fetch with the session cookie; every answer becomes an ApiResult, never a throw:
 * an error body's message is what the user sees. Routes not yet served (absent from the server's OpenAPI document)
 * are never called, so the browser logs no 404: callers get `{ ok: false, notAvailable: true }` and show a calm note.
 */
import type { ErrorDetail } from './types.ts';
import { t } from '../i18n/i18n.ts';

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string; details: ErrorDetail[]; notAvailable: boolean; reason?: string; params?: Record<string, string | number> };

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  json?: unknown;
  text?: string;
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

let routeTable: Promise<Set<string> | null> | null = null;

/** "GET /api/v1/devices/{}" keys of the routes the server serves now, or null when the document is unreadable. */
function loadRouteTable(): Promise<Set<string> | null> {
  routeTable ??= fetch('/api/v1/openapi.json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) return null;
      const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
      const keys = new Set<string>();
      for (const [path, ops] of Object.entries(doc.paths ?? {})) {
        for (const method of Object.keys(ops)) keys.add(`${method.toUpperCase()} ${normalisePath(path)}`);
      }
      return keys;
    })
    .catch(() => null);
  return routeTable;
}

function normalisePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z0-9_]+/g, '{}');
}

/** Whether the server serves `method path` (path may hold `{id}` or concrete ids: pass the template). */
export async function hasRoute(method: Method, template: string): Promise<boolean> {
  const table = await loadRouteTable();
  if (table === null) return true;
  return table.has(`${method} ${normalisePath(template)}`);
}

/** Forgets the route table (e.g. after the server was upgraded underneath a long-open wall screen). */
export function refreshRouteTable(): void {
  routeTable = null;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (query === undefined) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${s}`;
}

function notAvailable<T>(): ApiResult<T> {
  return { ok: false, status: 404, code: 'not_found', message: t('common.notAvailable'), details: [], notAvailable: true };
}

/** Parses an error body if it is one of ours; otherwise a message from the status. */
async function failureOf<T>(res: Response): Promise<ApiResult<T>> {
  let code = 'http_' + res.status;
  let message = t('error.status', { status: res.status });
  let details: ErrorDetail[] = [];
  let reason: string | undefined;
  let params: Record<string, string | number> | undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as { code?: unknown; message?: unknown; details?: unknown; reason?: unknown; params?: unknown };
      if (typeof body.code === 'string') code = body.code;
      if (typeof body.reason === 'string') reason = body.reason;
      if (typeof body.params === 'object' && body.params !== null) params = body.params as Record<string, string | number>;
      if (typeof body.message === 'string' && body.message !== '') message = body.message;
      if (Array.isArray(body.details)) {
        details = body.details.filter(
          (d): d is ErrorDetail => typeof d === 'object' && d !== null && typeof (d as ErrorDetail).path === 'string' && typeof (d as ErrorDetail).message === 'string',
        );
      }
    } catch {
      /* a body that is not JSON: keep the status message */
    }
  }
  if (res.status === 429) message = `${t('error.rateLimited')} ${message}`;
  return { ok: false, status: res.status, code, message, details, notAvailable: false, ...(reason === undefined ? {} : { reason, params: params ?? {} }) };
}

/**
 * Calls the API. `template` is the route as declared (`/api/v1/devices/{id}`), used for the availability check;
 * `path` the concrete one. Pass the same string twice for routes without parameters.
 */
export async function api<T>(method: Method, template: string, path: string = template, options: RequestOptions = {}): Promise<ApiResult<T>> {
  if (!(await hasRoute(method, template))) return notAvailable<T>();
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/plain';
    body = options.text;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      credentials: 'same-origin',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (err) {
    const aborted = err instanceof DOMException && err.name === 'AbortError';
    return { ok: false, status: 0, code: aborted ? 'aborted' : 'network', message: t('error.network'), details: [], notAvailable: false };
  }
  if (!res.ok) {
    const failure = await failureOf<T>(res);
    if (res.status === 401) for (const fn of unauthorisedListeners) fn();
    return failure;
  }
  if (res.status === 204) return { ok: true, status: res.status, data: undefined as T };
  try {
    return { ok: true, status: res.status, data: (await res.json()) as T };
  } catch {
    return { ok: false, status: res.status, code: 'bad_body', message: t('error.badBody'), details: [], notAvailable: false };
  }
}

/** GET a route without parameters. */
export function get<T>(path: string, query?: RequestOptions['query']): Promise<ApiResult<T>> {
  return api<T>('GET', path, path, query === undefined ? {} : { query });
}

const unauthorisedListeners = new Set<() => void>();
/** Called when any request answers 401 (the session ended). */
export function onUnauthorised(fn: () => void): () => void {
  unauthorisedListeners.add(fn);
  return () => unauthorisedListeners.delete(fn);
}

/**
 * Uploads a text body with progress (XMLHttpRequest reports upload progress; fetch does not).
 * `onProgress` gets 0..1 while sending, then null while the server works.
 */
export async function upload<T>(
  template: string,
  path: string,
  text: string,
  options: { contentType: string; onProgress: (fraction: number | null) => void },
): Promise<ApiResult<T>> {
  if (!(await hasRoute('POST', template))) return notAvailable<T>();
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', options.contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e): void => {
      if (e.lengthComputable) options.onProgress(e.loaded / Math.max(1, e.total));
    };
    xhr.upload.onload = (): void => options.onProgress(null);
    xhr.onerror = (): void => resolve({ ok: false, status: 0, code: 'network', message: t('error.network'), details: [], notAvailable: false });
    xhr.onload = (): void => {
      const res = new Response(xhr.status === 204 ? null : xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
      });
      if (res.ok) {
        res.json().then(
          (data) => resolve({ ok: true, status: res.status, data: data as T }),
          () => resolve({ ok: true, status: res.status, data: undefined as T }),
        );
      } else {
        failureOf<T>(res).then(resolve, () => resolve({ ok: false, status: res.status, code: 'http', message: t('error.status', { status: res.status }), details: [], notAvailable: false }));
      }
    };
    xhr.send(text);
  });
}
