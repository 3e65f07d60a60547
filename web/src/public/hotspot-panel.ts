/**
 * The public map on a phone (issue 15): a tapped hotspot's card (name, network name, state, last seen, link to its
 * status page), "near me" (the browser's geolocation, used here only: nothing is sent to the server), and search by
 * kelurahan. Distances on the sphere (haversine), good to a few metres at city scale.
 */
import type { Hotspot } from '../api/types.ts';
import { fmtDateTime, fmtNumber, t } from '../i18n/i18n.ts';
import { STATE_LOOK } from '../map/states.ts';
import { h } from '../ui/dom.ts';

export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function fmtDistance(m: number): string {
  return m < 1000 ? `${fmtNumber(Math.round(m / 10) * 10)} m` : `${fmtNumber(Math.round(m / 100) / 10, { maxFractionDigits: 1 })} km`;
}

function stateBadge(state: Hotspot['state']): HTMLElement {
  const look = STATE_LOOK[state];
  return h('span', { class: `state-badge state-${state}`, 'data-testid': 'hotspot-state', style: `--state-colour:${look.colour}` }, t(`state.${state}`));
}

/** The card of one hotspot: what a citizen needs to go and connect. */
export function hotspotCard(hs: Hotspot, options: { onClose: () => void; distanceM?: number }): HTMLElement {
  const ssids = hs.ssids ?? [];
  return h(
    'section',
    { class: 'card hotspot-card', role: 'dialog', 'aria-labelledby': 'hotspot-name', 'data-testid': 'hotspot-card' },
    h('div', { class: 'hotspot-card-head' },
      h('h2', { id: 'hotspot-name', 'data-testid': 'hotspot-name' }, hs.name),
      h('button', { class: 'btn btn-ghost', type: 'button', 'aria-label': t('hotspot.close'), 'data-testid': 'hotspot-close', onclick: () => options.onClose() }, '×'),
    ),
    h('dl', { class: 'hotspot-facts' },
      h('dt', {}, t('hotspot.state')), h('dd', {}, stateBadge(hs.state)),
      h('dt', {}, t('hotspot.ssid')), h('dd', { 'data-testid': 'hotspot-ssid' }, ssids.length === 0 ? t('hotspot.ssidUnknown') : ssids.join(', ')),
      h('dt', {}, t('hotspot.lastSeen')), h('dd', { 'data-testid': 'hotspot-last-seen' }, hs.lastSeen == null ? t('hotspot.neverSeen') : fmtDateTime(hs.lastSeen)),
      ...(hs.wardName == null ? [] : [h('dt', {}, t('hotspot.ward')), h('dd', {}, `${hs.wardName}${hs.kecamatan == null ? '' : `, ${hs.kecamatan}`}`)]),
      ...(options.distanceM === undefined ? [] : [h('dt', {}, t('hotspot.distance')), h('dd', {}, fmtDistance(options.distanceM))]),
    ),
    h('a', { class: 'btn btn-secondary', href: `/status/${encodeURIComponent(hs.id)}`, 'data-testid': 'hotspot-status-link' }, t('hotspot.statusPage')),
  );
}

export interface NearItem {
  hs: Hotspot;
  distanceM: number;
}

/** The closest working hotspots to a place, nearest first. */
export function nearest(hotspots: readonly Hotspot[], lat: number, lon: number, count: number): NearItem[] {
  return hotspots
    .filter((x) => x.state === 'up')
    .map((hs) => ({ hs, distanceM: distanceM(lat, lon, hs.lat, hs.lon) }))
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, count);
}
