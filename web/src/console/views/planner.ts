/**
 * Planner: candidate sites, a budget form, the plan as a ranked list and a coverage curve, and a draggable
 * hypothetical access point whose what-if shows each ward's change.
 */
import L from 'leaflet';
import { api, get, hasRoute } from '../../api/client.ts';
import type { Candidate, Plan, WardCollection, WhatIfItem } from '../../api/types.ts';
import { fmtNumber, fmtPct, lang, t } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/dict.ts';
import { noticeWords } from '../../ui/error-words.ts';
import { createBaseMap } from '../../map/base-map.ts';
import { legendControl } from '../../map/legend.ts';
import { PointLayer } from '../../map/point-layer.ts';
import { wardLayer } from '../../map/ward-layer.ts';
import { lineChart } from '../../ui/charts.ts';
import { clear, h } from '../../ui/dom.ts';
import { emptyNote, errorNote, loadingNote, notAvailableNote } from '../../ui/notes.ts';
import { may } from '../session.ts';
import type { View } from '../view.ts';

export const plannerView: View = (el, ctx) => {
  let stopped = false;
  let wardNames = new Map<string, string>();
  const mapEl = h('div', { class: 'map', role: 'region', 'aria-label': t('planner.mapLabel'), 'data-testid': 'planner-map' });
  const side = h('aside', { class: 'panel', 'aria-label': t('planner.panelLabel') });
  const candidatesNote = h('div', {});
  el.append(h('div', { class: 'toolbar' }, h('h1', {}, t('nav.planner')), candidatesNote), h('div', { class: 'split' }, mapEl, side));
  const base = createBaseMap(mapEl);
  legendControl({ states: ['planned'], title: t('planner.candidates') }).addTo(base.map);
  const candidates = new PointLayer(base.map, base.canvas, { clusterBelowZoom: 14 });
  const planLayer = L.featureGroup().addTo(base.map);

  // --- Budget form and result -------------------------------------------------------------------------------
  const result = h('div', { 'data-testid': 'plan-result' });
  const planForm = (): HTMLElement => {
    const box = h('section', { class: 'card' }, h('h2', {}, t('planner.budgetTitle')));
    if (!may(ctx.me, 'runPlanner')) {
      box.append(h('p', { class: 'muted' }, t('planner.readOnly')));
      return box;
    }
    const name = h('input', { id: 'plan-name', required: true, value: t('planner.defaultName'), maxlength: 120 });
    const kind = h('select', { id: 'plan-kind' }, h('option', { value: 'count' }, t('planner.byCount')), h('option', { value: 'cost' }, t('planner.byCost')));
    const amount = h('input', { id: 'plan-amount', type: 'number', min: 1, step: 1, value: 20, required: true, 'aria-label': t('planner.amount'), 'data-testid': 'plan-amount' });
    const perWard = h('input', { id: 'plan-perward', type: 'number', min: 0, step: 1, value: 0 });
    const status = h('div', { 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'form form-grid' },
      h('label', { for: 'plan-name' }, t('planner.name')),
      name,
      h('label', { for: 'plan-kind' }, t('planner.budget')),
      h('div', { class: 'row' }, kind, amount),
      h('label', { for: 'plan-perward' }, t('planner.perWardMin')),
      perWard,
      h('div', { class: 'row span' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'plan-run' }, t('planner.run'))),
      status,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clear(status);
      status.append(loadingNote());
      const n = Number(amount.value);
      const body = {
        name: name.value.trim() || t('planner.defaultName'),
        budget: kind.value === 'cost' ? { cost: n } : { count: Math.round(n) },
        ...(Number(perWard.value) > 0 ? { perWardMin: Math.round(Number(perWard.value)) } : {}),
      };
      void api<Plan>('POST', '/api/v1/plans', '/api/v1/plans', { json: body }).then((r) => {
        if (stopped) return;
        clear(status);
        if (r.ok) showPlan(r.data);
        else status.append(errorNote(r));
      });
    });
    box.append(form);
    void hasRoute('POST', '/api/v1/plans').then((has) => {
      if (!has) form.replaceWith(notAvailableNote());
    });
    return box;
  };

  function showPlan(plan: Plan): void {
    clear(result);
    planLayer.clearLayers();
    const last = plan.curve[plan.curve.length - 1];
    result.append(
      h('h2', {}, plan.name),
      h('p', { class: 'muted' }, t('planner.summary', { n: fmtNumber(plan.sites.length), r: fmtNumber(last?.[1] ?? 0) }), plan.gapPct === null ? '' : ` · ${t('planner.gap', { p: fmtPct(plan.gapPct, { maxFractionDigits: 2 }) })}`),
      lineChart(plan.curve, { label: t('planner.curve'), formatX: (v) => fmtNumber(v), formatY: (v) => fmtNumber(v), fill: true, referenceY: plan.upperBound }),
    );
    // Beside the bound (which is against the plan's own candidates): what a denser automatic set reaches.
    const d = plan.denserCandidates;
    if (d !== undefined && d !== null) {
      const diff = d.moreResidents >= 0 ? t('planner.denserMore', { m: fmtNumber(d.moreResidents) }) : t('planner.denserLess', { m: fmtNumber(-d.moreResidents) });
      result.append(h('p', { class: 'muted small', 'data-testid': 'plan-denser' }, t('planner.denser', { c: fmtNumber(d.candidates), r: fmtNumber(d.newResidents), d: `${diff} (${fmtPct(d.morePct, { maxFractionDigits: 1 })})` })));
    }
    if (plan.layer !== undefined) {
      result.append(h('p', { class: 'muted small' }, t('planner.layerNote', { l: t(`layer.${plan.layer}` as MessageKey), n: fmtNumber(plan.devices?.countedUnverified ?? 0) })));
    }
    // Warnings in the reader's language: worded from the plan's notices; the server's English only in English.
    const notices = plan.notices ?? [];
    if (lang() === 'en' || notices.length === 0) {
      for (const warning of lang() === 'en' ? (plan.warnings ?? []) : []) result.append(h('p', { class: 'note note-quiet' }, '! ', warning));
    } else {
      for (const n of notices) result.append(h('p', { class: 'note note-quiet' }, '! ', noticeWords(n) ?? t('errDetail.unknown')));
    }
    result.append(planActions(plan));
    const list = h('ol', { class: 'rank-list', 'data-testid': 'plan-sites' });
    plan.sites.forEach((s, i) => {
      list.append(
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'rank-item', onclick: () => base.map.setView([s.lat, s.lon], 16) },
            h('span', { class: 'rank-name' }, s.name),
            h('span', { class: 'rank-meta' }, `${wardNames.get(s.wardCode ?? '') ?? s.wardCode ?? '–'} · +${fmtNumber(s.marginalResidents)} ${t('coverage.residentsShort')}`),
          ),
        ),
      );
      L.marker([s.lat, s.lon], { icon: L.divIcon({ className: 'plan-pin', html: `<span>${i + 1}</span>`, iconSize: [24, 24] }), title: s.name, keyboard: false }).addTo(planLayer);
    });
    result.append(list);
  }

  /** Export (CSV, GeoJSON) and, for planners, turning the plan into rollout items. */
  function planActions(plan: Plan): HTMLElement {
    const id = encodeURIComponent(plan.id);
    const out = h('div', { 'aria-live': 'polite', 'data-testid': 'plan-rollout-result' });
    const row = h(
      'div',
      { class: 'export-row' },
      h('a', { class: 'btn btn-secondary btn-small', href: `/api/v1/plans/${id}/sites.csv`, download: '', 'data-testid': 'plan-csv' }, '⬇ CSV'),
      h('a', { class: 'btn btn-secondary btn-small', href: `/api/v1/plans/${id}/sites.geojson`, download: '', 'data-testid': 'plan-geojson' }, '⬇ GeoJSON'),
    );
    if (may(ctx.me, 'runPlanner')) {
      const toRollout = h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'plan-to-rollout' }, t('planner.toRollout'));
      toRollout.addEventListener('click', () => {
        toRollout.disabled = true;
        void api<{ created: number; skipped: number }>('POST', '/api/v1/plans/{id}/rollout', `/api/v1/plans/${id}/rollout`, { json: {} }).then((r) => {
          toRollout.disabled = false;
          clear(out);
          if (!r.ok) return void out.append(errorNote(r));
          out.append(h('p', { class: 'note note-ok', role: 'status' }, '✓ ', t('planner.rolloutMade', { n: fmtNumber(r.data.created), s: fmtNumber(r.data.skipped) }), ' ', h('a', { href: '#/kpis' }, t('planner.openRollout'))));
        });
      });
      row.append(toRollout);
    }
    return h('div', {}, row, out);
  }

  // --- What-if ---------------------------------------------------------------------------------------------
  const whatIfOut = h('div', { 'aria-live': 'polite', 'data-testid': 'whatif-result' });
  let hypo: L.Marker | null = null;
  let hypoCircle: L.Circle | null = null;
  const radius = h('input', { id: 'hypo-radius', type: 'number', min: 10, max: 2000, step: 10, value: 100 });
  async function runWhatIf(): Promise<void> {
    if (hypo === null) return;
    const at = hypo.getLatLng();
    const radiusM = Math.max(10, Number(radius.value) || 100);
    hypoCircle?.setLatLng(at).setRadius(radiusM);
    clear(whatIfOut);
    whatIfOut.append(loadingNote());
    const r = await api<{ items: WhatIfItem[] }>('POST', '/api/v1/coverage/what-if', '/api/v1/coverage/what-if', { json: { add: [{ lat: at.lat, lon: at.lng, radiusM }], move: [], remove: [] } });
    if (stopped) return;
    clear(whatIfOut);
    if (!r.ok) {
      whatIfOut.append(errorNote(r));
      return;
    }
    const changed = r.data.items.filter((x) => Math.abs(x.after.coveredPct - x.before.coveredPct) > 1e-6 || x.after.residentsCovered !== x.before.residentsCovered);
    if (changed.length === 0) {
      whatIfOut.append(emptyNote(t('planner.noChange')));
      return;
    }
    const table = h('table', { class: 'table table-compact' }, h('thead', {}, h('tr', {}, h('th', {}, t('common.ward')), h('th', { class: 'num' }, t('planner.before')), h('th', { class: 'num' }, t('planner.after')), h('th', { class: 'num' }, t('planner.residentsDelta')))));
    const tb = h('tbody', {});
    for (const x of changed) {
      const dr = (x.after.residentsCovered ?? 0) - (x.before.residentsCovered ?? 0);
      tb.append(h('tr', {}, h('td', {}, x.name ?? wardNames.get(x.code) ?? x.code), h('td', { class: 'num' }, fmtPct(x.before.coveredPct)), h('td', { class: 'num' }, fmtPct(x.after.coveredPct)), h('td', { class: 'num delta-up' }, `${dr >= 0 ? '+' : ''}${fmtNumber(dr)}`)));
    }
    table.append(tb);
    whatIfOut.append(table);
  }
  const whatIf = (): HTMLElement => {
    const box = h('section', { class: 'card' }, h('h2', {}, t('planner.whatIfTitle')), h('p', { class: 'muted small' }, t('planner.whatIfLead')));
    const place = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-secondary',
        'data-testid': 'whatif-place',
        onclick: () => {
          const at = base.map.getCenter();
          if (hypo === null) {
            hypo = L.marker(at, { draggable: true, keyboard: true, title: t('planner.hypoTitle'), icon: L.divIcon({ className: 'hypo-pin', html: '<span>+</span>', iconSize: [28, 28] }) }).addTo(base.map);
            hypoCircle = L.circle(at, { radius: Number(radius.value) || 100, color: '#0072B2', weight: 2, dashArray: '5 4', fillOpacity: 0.15 }).addTo(base.map);
            hypo.on('drag', () => hypoCircle?.setLatLng(hypo!.getLatLng()));
            hypo.on('dragend', () => void runWhatIf());
          } else {
            hypo.setLatLng(at);
          }
          void runWhatIf();
        },
      },
      t('planner.placeHypo'),
    );
    radius.addEventListener('change', () => void runWhatIf());
    box.append(h('div', { class: 'form form-grid' }, h('label', { for: 'hypo-radius' }, t('planner.radius')), radius), h('div', { class: 'row' }, place), whatIfOut);
    return box;
  };

  // Planners may fill the candidate list with points inside today's gaps (the server picks them).
  const generate = h('button', { type: 'button', class: 'btn btn-secondary btn-small', hidden: true, 'data-testid': 'candidates-generate' }, t('planner.generate'));
  const generateOut = h('span', { class: 'muted small', 'aria-live': 'polite' });
  generate.addEventListener('click', () => {
    generate.disabled = true;
    generateOut.textContent = t('common.loading');
    void api<{ created: number; gapsUsed: number }>('POST', '/api/v1/candidates/generate', '/api/v1/candidates/generate', { json: {} }).then((r) => {
      generate.disabled = false;
      if (stopped) return;
      generateOut.textContent = r.ok ? t('planner.generated', { n: fmtNumber(r.data.created), g: fmtNumber(r.data.gapsUsed) }) : r.message;
      if (r.ok) void loadCandidates();
    });
  });
  if (may(ctx.me, 'runPlanner')) {
    void hasRoute('POST', '/api/v1/candidates/generate').then((has) => {
      generate.hidden = !has;
    });
  }
  candidatesNote.after(generate, generateOut);

  side.append(planForm(), result, whatIf());

  async function loadCandidates(): Promise<void> {
    const c = await get<{ items: Candidate[] }>('/api/v1/candidates');
    if (stopped) return;
    clear(candidatesNote);
    if (c.ok) {
      candidates.setPoints(c.data.items.map((x) => ({ id: x.id, lat: x.lat, lon: x.lon, state: 'planned', label: x.name })));
      candidatesNote.append(h('span', { class: 'muted', 'data-testid': 'candidate-count' }, t('planner.candidateCount', { n: fmtNumber(c.data.items.length) })));
    } else {
      candidatesNote.append(c.notAvailable ? notAvailableNote(t('planner.candidates')) : errorNote(c));
    }
  }

  async function load(): Promise<void> {
    const [w, plans] = await Promise.all([get<WardCollection>('/api/v1/public/wards.geojson'), get<{ items: Plan[] }>('/api/v1/plans'), loadCandidates()]);
    if (stopped) return;
    if (w.ok) {
      wardNames = new Map(w.data.features.map((f) => [f.properties.code, f.properties.name] as const));
      const outlines = wardLayer(w.data, { outlineOnly: true, tooltip: (p) => p.name }).addTo(base.map);
      outlines.bringToBack();
      if (w.data.features.length > 0) base.map.fitBounds(outlines.getBounds(), { padding: [12, 12], animate: false });
    }
    if (plans.ok && plans.data.items.length > 0 && result.childElementCount === 0) {
      const latest = plans.data.items[0]!;
      if (Array.isArray(latest.sites) && Array.isArray(latest.curve)) showPlan(latest);
    } else if (!plans.ok && plans.notAvailable && result.childElementCount === 0) {
      result.append(notAvailableNote(t('planner.plans')));
    }
  }
  void load();
  return () => {
    stopped = true;
    candidates.destroy();
    base.destroy();
  };
};
