/**
 * The public status page of one hotspot (`/status/:id`), server-rendered HTML: no script, no external asset, under
 * the server's CSP, readable on a phone. Bahasa Indonesia first (`?lang=en` for English). 90 daily bars coloured by
 * availability (each also has a text label for screen readers), "no data" days striped grey, planned maintenance.
 */
import type { HotspotStatus } from './hotspot-status.ts';

type Lang = 'id' | 'en';

const W = {
  id: {
    title: 'Status titik Wi-Fi', state: { up: 'Aktif', down: 'Mati', unknown: 'Tidak diketahui', planned: 'Direncanakan' }, ssid: 'Nama jaringan (SSID)', ssidUnknown: 'belum diketahui',
    lastSeen: 'Terakhir terlihat', never: 'belum pernah', ward: 'Kelurahan', days: '90 hari terakhir', avail: 'Ketersediaan 90 hari', noData: 'tidak ada data',
    maintenance: 'Pemeliharaan terjadwal', noMaintenance: 'Tidak ada pemeliharaan terjadwal.', now: 'sedang berlangsung', back: 'Kembali ke peta', other: 'English',
    legend: ['>= 99 %', '95-99 %', '< 95 %', 'tidak ada data'], updated: 'Diperbarui', day: 'hari',
  },
  en: {
    title: 'Wi-Fi hotspot status', state: { up: 'Up', down: 'Down', unknown: 'Unknown', planned: 'Planned' }, ssid: 'Network name (SSID)', ssidUnknown: 'not known yet',
    lastSeen: 'Last seen', never: 'never', ward: 'Ward', days: 'Last 90 days', avail: 'Availability over 90 days', noData: 'no data',
    maintenance: 'Planned maintenance', noMaintenance: 'No maintenance planned.', now: 'under way', back: 'Back to the map', other: 'Bahasa Indonesia',
    legend: ['>= 99 %', '95-99 %', '< 95 %', 'no data'], updated: 'Updated', day: 'day',
  },
} as const;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function wib(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' }) + ' WIB';
}

function pct(v: number, lang: Lang): string {
  return `${new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 2 }).format(v)} %`;
}

export function barClass(v: number | null): string {
  return v === null ? 'nd' : v >= 99 ? 'ok' : v >= 95 ? 'warn' : 'bad';
}

export function statusPageHtml(s: HotspotStatus, lang: Lang): string {
  const w = W[lang];
  const hs = s.hotspot;
  const bars = s.days.map((d) => {
    const label = `${d.day}: ${d.availabilityPct === null ? w.noData : pct(d.availabilityPct, lang)}`;
    return `<li class="bar ${barClass(d.availabilityPct)}" title="${esc(label)}"><span class="sr">${esc(label)}</span></li>`;
  }).join('');
  const maint = s.maintenance.length === 0
    ? `<p class="muted">${w.noMaintenance}</p>`
    : `<ul class="maint">${s.maintenance.map((m) => `<li>${esc(wib(m.startsAt, lang))} - ${esc(wib(m.endsAt, lang))}${m.active ? ` <strong>(${w.now})</strong>` : ''}</li>`).join('')}</ul>`;
  const other = lang === 'id' ? 'en' : 'id';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(hs.name)} - ${w.title}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f7fa;color:#111827}
main{max-width:760px;margin:0 auto;padding:16px}
header{display:flex;justify-content:space-between;align-items:center;gap:8px;flex-wrap:wrap}
h1{font-size:1.35rem;margin:4px 0}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:14px;margin:12px 0}
.state{display:inline-block;padding:2px 10px;border-radius:999px;font-weight:600;color:#fff}
.state.up{background:#1a7f4b}.state.down{background:#b42318}.state.unknown{background:#6b7280}.state.planned{background:#3b5bdb}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:10px 0 0}dt{color:#4b5563}dd{margin:0}
ol.bars{list-style:none;display:flex;gap:1px;padding:0;margin:10px 0 4px;height:38px;align-items:stretch}
.bar{flex:1 1 0;border-radius:1px;min-width:0}.bar.ok{background:#1a7f4b}.bar.warn{background:#e8a33d}.bar.bad{background:#b42318}
.bar.nd{background:repeating-linear-gradient(45deg,#d1d5db 0 3px,#f3f4f6 3px 6px)}
.axis{display:flex;justify-content:space-between;color:#6b7280;font-size:.8rem}
.legend{display:flex;gap:12px;flex-wrap:wrap;font-size:.8rem;color:#374151;margin-top:8px}.legend i.bar{flex:none}.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.muted{color:#6b7280}a{color:#0b5cab}
</style></head>
<body><main>
<header><a href="/">&larr; ${w.back}</a><a href="?lang=${other}" hreflang="${other}">${w.other}</a></header>
<h1 data-testid="status-name">${esc(hs.name)}</h1>
<section class="card"><span class="state ${hs.state}" data-testid="status-state">${w.state[hs.state]}</span>
<dl><dt>${w.ssid}</dt><dd>${hs.ssids.length === 0 ? w.ssidUnknown : esc(hs.ssids.join(', '))}</dd>
<dt>${w.lastSeen}</dt><dd>${hs.lastSeen === null ? w.never : esc(wib(hs.lastSeen, lang))}</dd>
${hs.wardName === null ? '' : `<dt>${w.ward}</dt><dd>${esc(hs.wardName)}${hs.kecamatan === null ? '' : `, ${esc(hs.kecamatan)}`}</dd>`}</dl></section>
<section class="card" aria-labelledby="days-title"><h2 id="days-title" style="font-size:1.05rem;margin:0">${w.days}</h2>
<p style="margin:6px 0 0">${w.avail}: <strong data-testid="status-availability">${s.availabilityPct === null ? w.noData : pct(s.availabilityPct, lang)}</strong></p>
<ol class="bars" data-testid="status-bars">${bars}</ol>
<div class="axis"><span>${esc(s.days[0]?.day ?? '')}</span><span>${esc(s.days[s.days.length - 1]?.day ?? '')}</span></div>
<div class="legend"><span><i style="background:#1a7f4b"></i>${w.legend[0]}</span><span><i style="background:#e8a33d"></i>${w.legend[1]}</span><span><i style="background:#b42318"></i>${w.legend[2]}</span><span><i class="bar nd"></i>${w.legend[3]}</span></div></section>
<section class="card" aria-labelledby="maint-title"><h2 id="maint-title" style="font-size:1.05rem;margin:0">${w.maintenance}</h2>${maint}</section>
<p class="muted" style="font-size:.8rem">${w.updated}: ${esc(wib(s.asOf, lang))}</p>
</main></body></html>`;
}
