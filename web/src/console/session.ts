/** Who is signed in. The console asks the server only when this browser signed in before (no 401 noise). */
import { api, get, type ApiResult } from '../api/client.ts';
import type { Me, Role } from '../api/types.ts';

const HINT_KEY = 'jangkau.signedIn';

function setHint(on: 'on' | 'off'): void {
  try {
    if (on === 'on') localStorage.setItem(HINT_KEY, '1');
    else localStorage.removeItem(HINT_KEY);
  } catch {
    /* storage unavailable: the console asks the server every time */
  }
}

function hasHint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

export async function currentUser(): Promise<Me | null> {
  if (!hasHint()) return null;
  const r = await get<Me>('/api/v1/auth/me');
  if (r.ok) return r.data;
  setHint('off');
  return null;
}

export async function signIn(email: string, password: string): Promise<ApiResult<Me>> {
  const r = await api<{ user: unknown }>('POST', '/api/v1/auth/login', '/api/v1/auth/login', { json: { email, password } });
  if (!r.ok) return r;
  setHint('on');
  return get<Me>('/api/v1/auth/me');
}

export async function signOut(): Promise<void> {
  setHint('off');
  await api('POST', '/api/v1/auth/logout');
}

export function forgetSession(): void {
  setHint('off');
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<ApiResult<unknown>> {
  return api('POST', '/api/v1/auth/password', '/api/v1/auth/password', { json: { currentPassword, newPassword } });
}

/** What each role may change; the server enforces it, the console only hides what would be refused. */
export type Action = 'editSites' | 'deleteSites' | 'deleteWards' | 'importSites' | 'importWards' | 'editDevices' | 'runPlanner' | 'advanceRollout' | 'triageReports';
const ALLOWED: Record<Action, readonly Role[]> = {
  editSites: ['admin', 'planner', 'engineer'],
  deleteSites: ['admin', 'planner'],
  deleteWards: ['admin'],
  advanceRollout: ['admin', 'planner', 'engineer'],
  triageReports: ['admin', 'planner'],
  importSites: ['admin', 'planner'],
  importWards: ['admin', 'planner'],
  editDevices: ['admin', 'engineer'],
  runPlanner: ['admin', 'planner'],
};

export function may(me: Me, action: Action): boolean {
  return ALLOWED[action].includes(me.role);
}
