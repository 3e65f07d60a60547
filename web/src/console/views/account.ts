/**
 * My account: API tokens with an expiry; the secret is shown once, when made. Revoking asks first. Two kinds (issue
 * 10): a personal token acts with the user's role (scripts); a collector token, which only engineers and admins make,
 * is bound to one standalone collector (its `collectorId`) and can only send polls, fetch that collector's targets
 * and take its jobs, never read or change anything else.
 */
import { api, get } from '../../api/client.ts';
import { fmtDateTime, t } from '../../i18n/i18n.ts';
import { confirmDialog } from '../../ui/dialog.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import type { View } from '../view.ts';

interface TokenItem {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  kind: 'personal' | 'collector';
  collectorId: string | null;
}

const EXPIRY_DAYS = [30, 90, 180, 365] as const;

export const accountView: View = (el, ctx) => {
  let stopped = false;
  const slot = h('div', {}, loadingNote());
  const shown = h('div', { 'aria-live': 'polite' });
  const name = h('input', { id: 'tok-name', required: true, maxlength: 80, placeholder: 'skrip-laporan', 'data-testid': 'token-name' });
  const days = h('select', { id: 'tok-days', 'data-testid': 'token-days' }, ...EXPIRY_DAYS.map((d) => h('option', { value: String(d), selected: d === 90 }, t('account.days', { n: d }))));
  const mayMakeCollector = ctx.me.role === 'admin' || ctx.me.role === 'engineer';
  const kind = h('select', { id: 'tok-kind', 'data-testid': 'token-kind' }, h('option', { value: 'personal' }, t('account.kindPersonal')), h('option', { value: 'collector' }, t('account.kindCollector')));
  const collectorId = h('input', { id: 'tok-collector', maxlength: 64, pattern: '[A-Za-z0-9._\\-]+', placeholder: 'kolektor-ciwandan', 'data-testid': 'token-collector-id', 'aria-describedby': 'tok-collector-help' });
  const collectorRow = [
    h('label', { for: 'tok-collector' }, t('account.collectorId')),
    h('div', {}, collectorId, h('p', { id: 'tok-collector-help', class: 'muted small' }, t('account.collectorIdHelp'))),
  ];
  const showCollector = (): void => {
    const on = kind.value === 'collector';
    for (const el of collectorRow) el.hidden = !on;
    collectorId.required = on;
  };
  kind.addEventListener('change', showCollector);
  showCollector();
  const form = h(
    'form',
    { class: 'form form-grid' },
    h('label', { for: 'tok-name' }, t('account.tokenName')),
    name,
    ...(mayMakeCollector ? [h('label', { for: 'tok-kind' }, t('account.kind')), kind, ...collectorRow] : []),
    h('label', { for: 'tok-days' }, t('account.expiresIn')),
    days,
    h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'token-create' }, t('account.createToken'))),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(shown);
    void api<{ id: string; name: string; token: string }>('POST', '/api/v1/auth/tokens', '/api/v1/auth/tokens', {
      json: {
        name: name.value.trim(),
        expiresInDays: Number(days.value),
        ...(mayMakeCollector && kind.value === 'collector' ? { kind: 'collector', collectorId: collectorId.value.trim() } : {}),
      },
    }).then((r) => {
      if (!r.ok) return void shown.append(errorNote(r));
      shown.append(h('div', { class: 'note note-ok', role: 'status', 'data-testid': 'token-secret' }, t('account.tokenOnce', { name: r.data.name }), h('code', { class: 'mono token' }, r.data.token)));
      form.reset();
      showCollector();
      void load();
    });
  });
  el.append(
    h('div', { class: 'toolbar' }, h('h1', {}, t('nav.account')), h('span', { class: 'muted' }, ctx.me.email)),
    h('div', { class: 'page' }, h('section', { class: 'card' }, h('h2', {}, t('account.tokens')), h('p', { class: 'muted small' }, t('account.tokensLead')), form, shown, slot)),
  );
  async function load(): Promise<void> {
    const r = await get<{ items: TokenItem[] }>('/api/v1/auth/tokens');
    if (stopped) return;
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    if (r.data.items.length === 0) return void slot.append(emptyNote(t('account.noTokens')));
    const list = h('ul', { class: 'token-list', 'data-testid': 'token-list' });
    for (const tok of r.data.items) {
      list.append(
        h(
          'li',
          {},
          h('span', { class: 'strong' }, tok.name),
          h('span', { class: 'badge', 'data-testid': 'token-kind-badge' }, tok.kind === 'collector' ? t('account.collectorBadge', { id: tok.collectorId ?? '' }) : t('account.badgePersonal')),
          h('span', { class: 'muted small' }, `${t('account.created')} ${fmtDateTime(tok.createdAt)} · ${tok.expiresAt === null ? t('account.noExpiry') : `${t('account.expires')} ${fmtDateTime(tok.expiresAt)}`} · ${t('account.lastUsed')} ${fmtDateTime(tok.lastUsedAt)}`),
          h('button', {
            type: 'button',
            class: 'btn btn-ghost btn-small',
            onclick: () =>
              void confirmDialog({ title: t('account.revokeTitle', { name: tok.name }), body: [t('account.revokeBody')], confirm: t('account.revoke'), danger: true }).then(async (yes) => {
                if (!yes) return;
                const res = await api('DELETE', '/api/v1/auth/tokens/{id}', `/api/v1/auth/tokens/${encodeURIComponent(tok.id)}`);
                if (!res.ok) shown.append(errorNote(res));
                void load();
              }),
          }, t('account.revoke')),
        ),
      );
    }
    slot.append(list);
  }
  void load();
  return () => {
    stopped = true;
  };
};
