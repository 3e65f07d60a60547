/**
 * The rollout items (a planned site on its way: proposed -> approved -> installing -> live, or dropped), each with
 * its next step, due date, owner and notes; staff move an item one step with the date it happened, the owner from
 * then on and a note. Going live asks which installed device serves the site.
 */
import { api, get } from '../../api/client.ts';
import type { DeviceOut } from '../../api/types.ts';
import { fmtNumber, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { formDialog } from '../../ui/dialog.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote } from '../../ui/notes.ts';
import { fetchAll } from '../data/fetch-all.ts';
import { may } from '../session.ts';
import type { ViewCtx } from '../view.ts';

type Step = 'proposed' | 'approved' | 'installing' | 'live' | 'dropped';

interface RolloutItem {
  id: string;
  name: string;
  wardCode: string | null;
  status: Step;
  department: string | null;
  owner?: string | null;
  budget: number | null;
  nextStep: 'approved' | 'installing' | 'live' | null;
  nextDue: string | null;
  overdue: boolean;
  notes: string | null;
  dates: Record<Step, string | null>;
}

function cityToday(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function rolloutSection(ctx: ViewCtx, wardName: (code: string | null) => string): HTMLElement {
  const slot = h('div', {}, loadingNote());
  const showDone = h('input', { type: 'checkbox', id: 'rollout-done' });
  const box = h(
    'section',
    { class: 'card', 'aria-labelledby': 'rollout-title', 'data-testid': 'rollout' },
    h('div', { class: 'card-head' }, h('h2', { id: 'rollout-title' }, t('rollout.title')), h('label', { class: 'check', for: 'rollout-done' }, showDone, ' ', t('rollout.showDone'))),
    slot,
  );
  const canAdvance = may(ctx.me, 'advanceRollout');

  function advance(item: RolloutItem): void {
    const next = item.nextStep;
    const to = h('select', { id: 'ro-to', 'data-testid': 'ro-to' }, ...(next === null ? [] : [h('option', { value: next }, t(`rollout.step.${next}` as MessageKey))]), h('option', { value: 'dropped' }, t('rollout.step.dropped')));
    const date = h('input', { id: 'ro-date', type: 'date', required: true, max: cityToday(), value: cityToday() });
    const owner = h('input', { id: 'ro-owner', maxlength: 120, value: item.owner ?? '', 'data-testid': 'ro-owner' });
    const note = h('textarea', { id: 'ro-note', rows: 2, maxlength: 2000, 'data-testid': 'ro-note' });
    const device = h('select', { id: 'ro-device' }, h('option', { value: '' }, '–'));
    const deviceRow = h('div', { class: 'span form-grid', hidden: next !== 'live' }, h('label', { for: 'ro-device' }, t('rollout.device')), device);
    if (next === 'live') {
      void fetchAll<DeviceOut>('/api/v1/devices').then((r) => {
        if (r.ok) for (const d of [...r.data].sort((a, b) => a.name.localeCompare(b.name))) device.append(h('option', { value: d.id }, `${d.name} (${d.address})`));
      });
    }
    to.addEventListener('change', () => {
      deviceRow.hidden = to.value !== 'live';
    });
    formDialog({
      title: t('rollout.advanceTitle', { name: item.name }),
      testId: 'rollout-dialog',
      fields: [
        h('label', { for: 'ro-to' }, t('rollout.to')), to,
        h('label', { for: 'ro-date' }, t('rollout.date')), date,
        h('label', { for: 'ro-owner' }, t('rollout.owner')), owner,
        h('label', { for: 'ro-note' }, t('rollout.note')), note,
        deviceRow,
      ],
      submit: t('rollout.advance'),
      onSubmit: async () => {
        // The step happened on that day; today means now (a step cannot be dated in the future).
        const at = date.value === cityToday() ? undefined : new Date(`${date.value}T12:00:00+07:00`).toISOString();
        const body = {
          to: to.value,
          ...(at === undefined ? {} : { at }),
          owner: owner.value.trim() === '' ? null : owner.value.trim(),
          ...(note.value.trim() === '' ? {} : { note: note.value.trim() }),
          ...(to.value === 'live' && device.value !== '' ? { deviceId: device.value } : {}),
        };
        const r = await api('POST', '/api/v1/rollout/{id}/advance', `/api/v1/rollout/${encodeURIComponent(item.id)}/advance`, { json: body });
        if (!r.ok) return errorNote(r);
        void load();
        return null;
      },
    });
  }

  async function load(): Promise<void> {
    const r = await get<{ items: RolloutItem[]; total: number }>('/api/v1/rollout', { limit: 2000 });
    clear(slot);
    if (!r.ok) return void slot.append(errorNote(r));
    const items = r.data.items.filter((i) => showDone.checked || (i.status !== 'live' && i.status !== 'dropped'));
    if (items.length === 0) return void slot.append(emptyNote(t('rollout.none')));
    items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.nextDue ?? '9999').localeCompare(b.nextDue ?? '9999') || a.name.localeCompare(b.name));
    const list = h('ul', { class: 'rollout-list', 'data-testid': 'rollout-list' });
    for (const i of items.slice(0, 300)) {
      const last = i.notes?.split('\n').at(-1) ?? null;
      list.append(
        h(
          'li',
          { class: 'rollout-item', 'data-rollout-id': i.id },
          h('span', { class: `chip chip-step-${i.status}` }, t(`rollout.step.${i.status}` as MessageKey)),
          h('span', { class: 'strong' }, i.name),
          h('span', { class: 'muted small' }, [wardName(i.wardCode), i.owner ? t('rollout.ownerIs', { owner: i.owner }) : null, i.department].filter((x) => x !== null && x !== '').join(' · ')),
          i.nextStep === null ? null : h('span', { class: i.overdue ? 'chip chip-red' : 'chip' }, i.overdue ? '⚠ ' : '', t('rollout.nextDue', { step: t(`rollout.step.${i.nextStep}` as MessageKey), due: i.nextDue ?? '–' })),
          last === null || last === '' ? null : h('span', { class: 'muted small wrap' }, last),
          canAdvance && i.nextStep !== null ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'ro-advance', onclick: () => advance(i) }, t('rollout.advance')) : null,
        ),
      );
    }
    slot.append(list);
    if (items.length > 300) slot.append(h('p', { class: 'muted small' }, t('monitor.more', { n: fmtNumber(items.length - 300) })));
  }
  showDone.addEventListener('change', () => void load());
  void load();
  return box;
}
