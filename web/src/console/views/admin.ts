/**
 * Administration (admins only): staff accounts (create, change role or region, disable or enable, reset the
 * password; each ends the account's sessions; issue 17: an account is limited to one kabupaten/kota or sees the
 * whole province) and the audit log with filters (who, what, which kind of record, period).
 */
import { api, get } from '../../api/client.ts';
import type { Page, Role, UserOut } from '../../api/types.ts';
import { fmtDateTime, fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { confirmDialog, formDialog } from '../../ui/dialog.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import type { View, ViewCtx } from '../view.ts';
import { widgetsTab } from './widget-tokens.ts';
import { outboundTab } from './outbound-settings.ts';
import { smsTab } from './sms-gateway.ts';

const ROLES: readonly Role[] = ['admin', 'engineer', 'planner', 'viewer'];
type Tab = 'users' | 'audit' | 'widgets' | 'sms' | 'outbound';

interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: unknown;
}

interface Kota { code: string; name: string }

/** Province (no limit) or one kabupaten/kota; the value is the kota code, '' for the province. */
function scopeSelect(id: string, value: string | null, kotas: readonly Kota[]): HTMLSelectElement {
  const known = value === null || kotas.some((k) => k.code === value);
  return h(
    'select',
    { id, 'data-testid': 'user-scope' },
    h('option', { value: '', selected: value === null }, t('admin.scopeProvince')),
    ...kotas.map((k) => h('option', { value: k.code, selected: k.code === value }, `${k.name} (${k.code})`)),
    // A limit to a region no longer imported still shows what it is.
    ...(known ? [] : [h('option', { value: value!, selected: true }, value!)]),
  );
}

function scopeLabel(code: string | null, kotas: readonly Kota[]): string {
  if (code === null) return t('admin.scopeProvince');
  const k = kotas.find((x) => x.code === code);
  return k === undefined ? code : k.name;
}

function roleSelect(id: string, value: Role): HTMLSelectElement {
  return h('select', { id }, ...ROLES.map((r) => h('option', { value: r, selected: r === value }, t(`role.${r}` as MessageKey))));
}

/** A password an admin can read out once: 16 characters without look-alikes. */
function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

function usersTab(el: HTMLElement, ctx: ViewCtx): void {
  const slot = h('div', {}, loadingNote());
  const out = h('div', { 'aria-live': 'polite' });
  const add = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'user-add' }, '+ ', t('admin.addUser'));
  el.append(h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, t('admin.users')), add), out, slot));

  const showPassword = (email: string, password: string): void => {
    clear(out);
    out.append(h('div', { class: 'note note-ok', role: 'status', 'data-testid': 'temp-password' }, t('admin.tempPassword', { email }), ' ', h('code', { class: 'mono' }, password), h('p', { class: 'small' }, t('admin.tempPasswordHint'))));
  };

  let kotas: Kota[] = [];
  add.addEventListener('click', () => {
    const email = h('input', { id: 'u-email', type: 'email', required: true, 'data-testid': 'u-email' });
    const name = h('input', { id: 'u-name', maxlength: 120, 'data-testid': 'u-name' });
    const role = roleSelect('u-role', 'viewer');
    const scope = scopeSelect('u-scope', null, kotas);
    formDialog({
      title: t('admin.addUser'),
      testId: 'user-dialog',
      fields: [
        h('label', { for: 'u-email' }, t('auth.email')), email, h('label', { for: 'u-name' }, t('admin.displayName')), name, h('label', { for: 'u-role' }, t('admin.role')), role,
        h('label', { for: 'u-scope' }, t('admin.scope')), scope,
      ],
      submit: t('admin.create'),
      onSubmit: async () => {
        const password = temporaryPassword();
        const r = await api<UserOut>('POST', '/api/v1/users', '/api/v1/users', {
          json: { email: email.value.trim(), role: role.value, password, ...(name.value.trim() === '' ? {} : { displayName: name.value.trim() }), ...(scope.value === '' ? {} : { scopeCityCode: scope.value }) },
        });
        if (!r.ok) return errorNote(r);
        showPassword(r.data.email, password);
        void load();
        return null;
      },
    });
  });

  const patch = async (u: UserOut, body: Record<string, unknown>): Promise<boolean> => {
    const r = await api<UserOut>('PATCH', '/api/v1/users/{id}', `/api/v1/users/${encodeURIComponent(u.id)}`, { json: body });
    if (!r.ok) {
      clear(out);
      out.append(errorNote(r));
      return false;
    }
    return true;
  };

  async function load(): Promise<void> {
    const [r, regions] = await Promise.all([get<Page<UserOut>>('/api/v1/users', { limit: 1000 }), get<{ items: Kota[] }>('/api/v1/regions', { level: 'kota' })]);
    kotas = regions.ok ? regions.data.items : [];
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    slot.append(h('p', { class: 'muted small', 'data-testid': 'scope-hint' }, kotas.length === 0 ? t('admin.scopeNoRegions') : t('admin.scopeHint')));
    const table = h('table', { class: 'table table-stack', 'data-testid': 'users-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('auth.email')), h('th', { scope: 'col' }, t('admin.role')), h('th', { scope: 'col' }, t('admin.scope')), h('th', { scope: 'col' }, t('admin.status')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('common.actions'))))));
    const tb = h('tbody', {});
    for (const u of r.data.items) {
      const self = u.id === ctx.me.id;
      const role = roleSelect(`role-${u.id}`, u.role);
      role.disabled = self;
      role.addEventListener('change', () => void patch(u, { role: role.value }).then((ok) => (ok ? load() : undefined)));
      const scope = scopeSelect(`scope-${u.id}`, u.scopeCityCode, kotas);
      // An admin limits others, not themselves (a slip would lock them out of the province).
      scope.disabled = self || (kotas.length === 0 && u.scopeCityCode === null);
      scope.addEventListener('change', () => {
        const code = scope.value === '' ? null : scope.value;
        void patch(u, { scopeCityCode: code }).then(async (ok) => {
          if (!ok) return;
          await load();
          out.replaceChildren(h('div', { class: 'note note-ok', role: 'status', 'data-testid': 'scope-changed' }, t('admin.scopeChanged', { email: u.email, scope: scopeLabel(code, kotas) })));
        });
      });
      const toggle = h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        disabled: self,
        'data-testid': 'user-toggle',
        onclick: () =>
          void confirmDialog({
            title: u.disabled ? t('admin.enableTitle', { email: u.email }) : t('admin.disableTitle', { email: u.email }),
            body: [u.disabled ? t('admin.enableBody') : t('admin.disableBody')],
            confirm: u.disabled ? t('admin.enable') : t('admin.disable'),
            danger: !u.disabled,
          }).then((yes) => (yes ? patch(u, { disabled: !u.disabled }).then((ok) => (ok ? load() : undefined)) : undefined)),
      }, u.disabled ? t('admin.enable') : t('admin.disable'));
      const reset = h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        'data-testid': 'user-reset',
        onclick: () =>
          void confirmDialog({ title: t('admin.resetTitle', { email: u.email }), body: [t('admin.resetBody')], confirm: t('admin.reset') }).then(async (yes) => {
            if (!yes) return;
            const password = temporaryPassword();
            if (await patch(u, { password })) showPassword(u.email, password);
          }),
      }, t('admin.reset'));
      tb.append(
        h(
          'tr',
          { 'data-user': u.email },
          h('td', {}, h('span', { class: 'strong' }, u.displayName ?? u.email), u.displayName === null ? '' : h('span', { class: 'sub' }, u.email)),
          h('td', {}, h('label', { for: `role-${u.id}`, class: 'sr-only' }, t('admin.roleOf', { email: u.email })), role),
          h('td', {}, h('label', { for: `scope-${u.id}`, class: 'sr-only' }, t('admin.scopeOf', { email: u.email })), scope),
          h('td', {}, u.disabled ? h('span', { class: 'chip chip-red' }, t('admin.disabled')) : h('span', { class: 'chip chip-green' }, t('admin.active'))),
          h('td', { class: 'actions' }, reset, toggle),
        ),
      );
    }
    table.append(tb);
    slot.append(h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('admin.users') }, table));
  }
  void load();
}

function auditTab(el: HTMLElement): void {
  const PAGE = 50;
  let offset = 0;
  const actor = h('input', { id: 'a-actor', type: 'search', placeholder: 'nama@cilegon.go.id', 'data-testid': 'audit-actor' });
  const action = h('input', { id: 'a-action', placeholder: 'create, update, delete…' });
  const entity = h('select', { id: 'a-entity' }, h('option', { value: '' }, t('admin.anyEntity')), ...['device', 'site', 'ward', 'user', 'api-token', 'alert-channel', 'incident', 'maintenance', 'rollout', 'report', 'plan'].map((e) => h('option', { value: e }, e)));
  const from = h('input', { id: 'a-from', type: 'date' });
  const to = h('input', { id: 'a-to', type: 'date' });
  const slot = h('div', {}, loadingNote());
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('admin.auditFilters') },
    h('div', { class: 'filter' }, h('label', { for: 'a-actor' }, t('admin.actor')), actor),
    h('div', { class: 'filter' }, h('label', { for: 'a-action' }, t('admin.action')), action),
    h('div', { class: 'filter' }, h('label', { for: 'a-entity' }, t('admin.entity')), entity),
    h('div', { class: 'filter' }, h('label', { for: 'a-from' }, t('incidents.from')), from),
    h('div', { class: 'filter' }, h('label', { for: 'a-to' }, t('incidents.to')), to),
  );
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', () => ((offset = 0), void load()));
  el.append(h('section', { class: 'card' }, h('h2', {}, t('admin.audit')), form, slot));
  async function load(): Promise<void> {
    const r = await get<{ items: AuditItem[]; total: number }>('/api/v1/audit', {
      limit: PAGE,
      offset,
      actor: actor.value.trim(),
      action: action.value.trim(),
      entity: entity.value,
      from: from.value === '' ? '' : new Date(`${from.value}T00:00:00+07:00`).toISOString(),
      to: to.value === '' ? '' : new Date(Date.parse(`${to.value}T00:00:00+07:00`) + 86_400_000).toISOString(),
    });
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.total === 0) return void slot.append(emptyNote(t('admin.noAudit')));
    const table = h('table', { class: 'table table-compact table-stack', 'data-testid': 'audit-table' }, h('thead', {}, h('tr', {}, ...(['monitor.when', 'admin.actor', 'admin.action', 'admin.entity', 'admin.detail'] as MessageKey[]).map((k) => h('th', { scope: 'col' }, t(k))))));
    const tb = h('tbody', {});
    for (const a of r.data.items) {
      tb.append(h('tr', {}, h('td', {}, fmtDateTime(a.at)), h('td', { class: 'wrap' }, a.actor), h('td', {}, a.action), h('td', {}, `${a.entity}${a.entityId === null ? '' : ` ${a.entityId}`}`), h('td', { class: 'mono wrap' }, a.detail === null ? '' : JSON.stringify(a.detail))));
    }
    table.append(tb);
    slot.append(
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('admin.audit') }, table),
      h(
        'div',
        { class: 'pager' },
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', disabled: offset === 0, onclick: () => ((offset = Math.max(0, offset - PAGE)), void load()) }, '‹ ', t('common.prev')),
        h('span', {}, t('common.range', { from: fmtNumber(offset + 1), to: fmtNumber(Math.min(r.data.total, offset + PAGE)), total: fmtNumber(r.data.total) })),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', disabled: offset + PAGE >= r.data.total, onclick: () => ((offset += PAGE), void load()) }, t('common.next'), ' ›'),
      ),
    );
  }
  void load();
}

export const adminView: View = (el, ctx) => {
  const tab: Tab = ctx.param === 'audit' ? 'audit' : ctx.param === 'widgets' ? 'widgets' : ctx.param === 'sms' ? 'sms' : ctx.param === 'outbound' ? 'outbound' : 'users';
  const nav = h('nav', { class: 'subtabs', 'aria-label': t('nav.admin') });
  for (const x of ['users', 'audit', 'widgets', 'sms', 'outbound'] as const) nav.append(h('a', { href: `#/admin/${x}`, class: x === tab ? 'subtab active' : 'subtab', 'aria-current': x === tab ? 'page' : null }, t(`admin.${x}` as MessageKey)));
  const page = h('div', { class: 'page' });
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.admin')), nav), page);
  if (tab === 'users') usersTab(page, ctx);
  else if (tab === 'widgets') widgetsTab(page);
  else if (tab === 'sms') smsTab(page);
  else if (tab === 'outbound') outboundTab(page);
  else auditTab(page);
  return () => undefined;
};
