/**
 * The wall widget page (`/widgets/status?token=...`): server-rendered, no script (it reloads itself every 30 s with
 * a meta refresh), large type for a screen across the room, embeddable in another site's page. Bahasa Indonesia
 * first (`&lang=en`). "No data" is said in words, never 0 %.
 */
import type { WidgetSummary } from './widgets.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = {
  id: { title: 'Layar komando Wi-Fi publik', up: 'Aktif', degraded: 'Terganggu', down: 'Mati', unknown: 'Tidak diketahui', points: 'titik menyala dari', avail: 'Ketersediaan hari ini', covered: 'Warga terjangkau', incidents: 'Gangguan terbuka', none: 'Tidak ada gangguan terbuka.', noData: 'tidak ada data', since: 'sejak', ack: 'ditangani', updated: 'Diperbarui' },
  en: { title: 'Public Wi-Fi command centre', up: 'Up', degraded: 'Degraded', down: 'Down', unknown: 'Unknown', points: 'points working of', avail: 'Availability today', covered: 'Residents covered', incidents: 'Open incidents', none: 'No open incident.', noData: 'no data', since: 'since', ack: 'acknowledged', updated: 'Updated' },
} as const;

function wib(iso: string, lang: 'id' | 'en'): string {
  return new Date(iso).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'Asia/Jakarta', dateStyle: 'short', timeStyle: 'short' }) + ' WIB';
}

export function widgetPageHtml(s: WidgetSummary, lang: 'id' | 'en'): string {
  const w = W[lang];
  const pct = (v: number | null): string => (v === null ? w.noData : `${new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 }).format(v)} %`);
  const tile = (cls: string, label: string, n: number): string => `<div class="tile ${cls}" data-testid="widget-${cls}"><b>${n}</b><span>${label}</span></div>`;
  const incidents = s.openIncidents.length === 0
    ? `<p class="ok">${w.none}</p>`
    : `<ul>${s.openIncidents.slice(0, 12).map((i) => `<li>${esc(i.siteName ?? i.deviceName)} <small>${w.since} ${esc(wib(i.since, lang))}${i.acknowledged ? ` · ${w.ack}` : ''}</small></li>`).join('')}</ul>`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="30">
<title>${w.title}</title><style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#0b2233;color:#f1f5f9}
main{padding:16px;display:grid;gap:14px}
h1{font-size:1.3rem;margin:0;color:#cbd5e1}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px}
.tile{background:#113a55;border-radius:12px;padding:12px 14px;display:flex;flex-direction:column;border-left:8px solid #64748b}
.tile b{font-size:2.4rem;line-height:1}.tile span{color:#cbd5e1}
.tile.up{border-color:#22c55e}.tile.degraded{border-color:#f59e0b}.tile.down{border-color:#ef4444}
.figs{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:10px}
.fig{background:#113a55;border-radius:12px;padding:12px 14px}.fig b{font-size:1.8rem;display:block}
ul{margin:0;padding-left:20px}li{margin:4px 0;font-size:1.1rem}small{color:#94a3b8}.ok{color:#86efac}
footer{color:#94a3b8;font-size:.8rem}
</style></head><body><main>
<h1>${w.title}</h1>
<div class="tiles">${tile('up', w.up, s.devices.up ?? 0)}${tile('degraded', w.degraded, s.devices.degraded ?? 0)}${tile('down', w.down, s.devices.down ?? 0)}${tile('unknown', w.unknown, s.devices.unknown ?? 0)}</div>
<div class="figs"><div class="fig"><b data-testid="widget-points">${s.pointsWorking}</b>${w.points} ${s.pointsLive}</div><div class="fig"><b>${pct(s.availabilityTodayPct)}</b>${w.avail}</div><div class="fig"><b data-testid="widget-covered">${pct(s.residentsCoveredPct)}</b>${w.covered}</div></div>
<section><h1>${w.incidents} (${s.openIncidents.length})</h1>${incidents}</section>
<footer>${w.updated}: ${esc(wib(s.asOf, lang))}</footer>
</main></body></html>`;
}
