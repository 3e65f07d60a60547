/**
 * The mayor's monthly report as PDF, drawn with pdfkit. Why pdfkit: it is maintained, pure JavaScript (no headless
 * browser, no native build), writes text as text (so the report can be searched, copied and read by pdftotext and
 * screen readers) and vector shapes (the ward map stays sharp when printed). Its standard fonts (Helvetica) carry
 * every letter Bahasa Indonesia uses. A4 portrait, bilingual headings (Bahasa Indonesia first), traffic lights as
 * a shape AND a word (circle green, diamond orange, square red, hollow circle grey "tidak ada data"), so it reads
 * in black and white and for colour-blind readers. A KPI without data is never 0 or red on paper: it says "tidak
 * ada data" with its reason.
 */
import PDFDocument from 'pdfkit';
import { KPI_REASON_WORDS, KPI_STATUS_WORDS, kpiLabel, unitWord } from '../../core/kpi-words.ts';
import type { KpiNoDataReason, KpiStatus } from '../../core/traffic-light.ts';
import type { MonthlyReportModel } from '../services/monthly-report/report-model.ts';
import type { PdfMaker } from './pdf-maker.ts';

const A4 = { w: 595.28, h: 841.89 };
const M = 40;
const BOTTOM = A4.h - 50;
const COLORS: Record<KpiStatus, string> = { green: '#1b7f4b', orange: '#d9822b', red: '#c0392b', 'no-data': '#9e9e9e' };
const FILL: Record<KpiStatus, string> = { green: '#8fd3a8', orange: '#f6c98e', red: '#ef9a9a', 'no-data': '#e0e0e0' };

const nf = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });
const fmt = (v: number | null | undefined, unit = ''): string => (v === null || v === undefined ? 'tidak ada data' : `${nf.format(v)}${unit === '' ? '' : unit === '%' ? ' %' : ` ${unit}`}`);
const monthName = (month: string, lang: 'id' | 'en'): string =>
  new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const wib = (iso: string): string => {
  const d = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} WIB`;
};
const reasonText = (r: string | undefined): string => (r !== undefined && r in KPI_REASON_WORDS ? KPI_REASON_WORDS[r as KpiNoDataReason].id : 'tidak terukur');

type Doc = PDFKit.PDFDocument;

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

interface CellOut {
  text: string;
  status?: KpiStatus;
}

/** A light drawn as a shape and a colour: circle, diamond, square, hollow circle. */
function light(doc: Doc, x: number, y: number, status: KpiStatus, r = 4): void {
  doc.save();
  const c = COLORS[status];
  if (status === 'green') doc.circle(x, y, r).fill(c);
  else if (status === 'orange') doc.polygon([x, y - r - 0.5], [x + r + 0.5, y], [x, y + r + 0.5], [x - r - 0.5, y]).fill(c);
  else if (status === 'red') doc.rect(x - r, y - r, 2 * r, 2 * r).fill(c);
  else doc.lineWidth(1).circle(x, y, r - 0.5).stroke(c);
  doc.restore();
}

class Writer {
  y = M;
  constructor(readonly doc: Doc) {}

  ensure(h: number): void {
    if (this.y + h > BOTTOM) {
      this.doc.addPage();
      this.y = M;
    }
  }

  heading(id: string, en: string): void {
    this.ensure(60);
    this.y += 6;
    this.doc.font('Helvetica-Bold').fontSize(14).fillColor('#17324d').text(id, M, this.y, { width: A4.w - 2 * M });
    this.y = this.doc.y;
    this.doc.font('Helvetica-Oblique').fontSize(10).fillColor('#555555').text(en, M, this.y, { width: A4.w - 2 * M });
    this.y = this.doc.y + 6;
    this.doc.fillColor('#000000');
  }

  para(text: string, opts: { size?: number; color?: string; font?: string } = {}): void {
    this.doc.font(opts.font ?? 'Helvetica').fontSize(opts.size ?? 9).fillColor(opts.color ?? '#222222');
    const h = this.doc.heightOfString(text, { width: A4.w - 2 * M });
    this.ensure(h + 4);
    this.doc.text(text, M, this.y, { width: A4.w - 2 * M });
    this.y = this.doc.y + 4;
    this.doc.fillColor('#000000');
  }

  table(columns: Column[], rows: CellOut[][], opts: { size?: number } = {}): void {
    const size = opts.size ?? 8;
    const pad = 3;
    const drawHeader = (): void => {
      this.doc.font('Helvetica-Bold').fontSize(size);
      const h = Math.max(...columns.map((c) => this.doc.heightOfString(c.title, { width: c.width - 2 * pad }))) + 2 * pad;
      this.ensure(h + 14);
      this.doc.rect(M, this.y, columns.reduce((a, c) => a + c.width, 0), h).fill('#e8eef4');
      let x = M;
      this.doc.fillColor('#17324d');
      for (const c of columns) {
        this.doc.text(c.title, x + pad, this.y + pad, { width: c.width - 2 * pad, align: c.align ?? 'left' });
        x += c.width;
      }
      this.doc.fillColor('#000000');
      this.y += h;
    };
    drawHeader();
    rows.forEach((row, ri) => {
      this.doc.font('Helvetica').fontSize(size);
      const h = Math.max(...row.map((cell, i) => this.doc.heightOfString(cell.text, { width: columns[i]!.width - 2 * pad - (cell.status === undefined ? 0 : 10) }))) + 2 * pad;
      if (this.y + h > BOTTOM) {
        this.doc.addPage();
        this.y = M;
        drawHeader();
        this.doc.font('Helvetica').fontSize(size);
      }
      if (ri % 2 === 1) this.doc.rect(M, this.y, columns.reduce((a, c) => a + c.width, 0), h).fill('#f7f9fb');
      let x = M;
      row.forEach((cell, i) => {
        const c = columns[i]!;
        let tx = x + pad;
        let tw = c.width - 2 * pad;
        if (cell.status !== undefined) {
          light(this.doc, x + pad + 4, this.y + pad + size / 2, cell.status, 3.2);
          tx += 10;
          tw -= 10;
        }
        this.doc.fillColor(cell.status === 'no-data' ? '#666666' : '#111111').text(cell.text, tx, this.y + pad, { width: tw, align: c.align ?? 'left' });
        x += c.width;
      });
      this.doc.fillColor('#000000');
      this.y += h;
    });
    this.y += 8;
  }
}

function drawCover(doc: Doc, m: MonthlyReportModel): void {
  doc.rect(0, 0, A4.w, 260).fill('#17324d');
  doc.fillColor('#ffffff').font('Helvetica').fontSize(12).text(m.cityName.toUpperCase(), M, 70);
  doc.font('Helvetica-Bold').fontSize(26).text('Laporan Bulanan Wi-Fi Publik', M, 100);
  doc.font('Helvetica-Oblique').fontSize(16).text('Monthly Public Wi-Fi Report', M, 134);
  doc.font('Helvetica-Bold').fontSize(20).text(`${monthName(m.month, 'id')}  /  ${monthName(m.month, 'en')}`, M, 180);
  doc.fillColor('#222222').font('Helvetica').fontSize(10);
  doc.text(`Keadaan per / As of: ${wib(m.asOf)}${m.monthUnderWay ? ' (bulan berjalan / month under way)' : ''}`, M, 290);
  doc.text(`Dibuat / Generated: ${wib(m.generatedAt)} oleh Jangkau`, M, 306);
  doc.moveDown(2);
  doc.font('Helvetica-Bold').fontSize(11).text('Isi / Contents', M, 350);
  const items = [
    ['Ringkasan kota dengan lampu lalu lintas', 'City summary with traffic lights'],
    ['Peta kelurahan menurut jangkauan', 'Map of wards by coverage'],
    ['Tabel per kecamatan dan per kelurahan', 'Per-district and per-ward tables'],
    ['Ketersediaan per penyedia', 'Availability per provider'],
    ['Gangguan dan waktu pemulihan', 'Incidents and time to restore'],
    ['Kemajuan pemasangan terhadap rencana dan anggaran', 'Rollout progress against plan and budget'],
    ['Laporan warga', "Citizens' reports"],
    ['Catatan per KPI dari penanggung jawab (PIC)', 'Notes per KPI from their person in charge'],
  ];
  let y = 370;
  for (const [id, en] of items) {
    doc.font('Helvetica').fontSize(10).fillColor('#222222').text(`-  ${id}`, M, y, { continued: true }).font('Helvetica-Oblique').fillColor('#666666').text(`  /  ${en}`);
    y += 16;
  }
  // Legend of the lights on the cover: how to read every table.
  y += 20;
  doc.font('Helvetica-Bold').fontSize(10).fillColor('#222222').text('Cara membaca / How to read', M, y);
  y += 18;
  for (const s of ['green', 'orange', 'red', 'no-data'] as const) {
    light(doc, M + 6, y + 5, s, 5);
    doc.font('Helvetica').fontSize(10).fillColor('#222222').text(`${KPI_STATUS_WORDS[s].id}  /  ${KPI_STATUS_WORDS[s].en}`, M + 18, y);
    y += 18;
  }
  doc.font('Helvetica').fontSize(8.5).fillColor('#555555').text(
    'Angka yang tidak dapat diukur ditulis "tidak ada data" beserta alasannya, tidak pernah 0 atau merah. / A figure nobody could measure says "no data" with its reason, never 0 or red.',
    M, y + 6, { width: A4.w - 2 * M },
  );
}

function drawMap(w: Writer, m: MonthlyReportModel): void {
  const doc = w.doc;
  const shapes = m.wardShapes;
  if (shapes.length === 0) {
    w.para('Belum ada kelurahan diimpor: peta tidak dapat digambar. / No wards imported yet: no map.');
    return;
  }
  const rings = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon): number[][][] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
  let lon0 = Infinity, lon1 = -Infinity, lat0 = Infinity, lat1 = -Infinity;
  for (const s of shapes) for (const r of rings(s.geometry)) for (const [lon, lat] of r) {
    lon0 = Math.min(lon0, lon!); lon1 = Math.max(lon1, lon!); lat0 = Math.min(lat0, lat!); lat1 = Math.max(lat1, lat!);
  }
  const k = Math.cos((((lat0 + lat1) / 2) * Math.PI) / 180);
  const boxW = A4.w - 2 * M;
  const boxH = 380;
  w.ensure(boxH + 40);
  const scale = Math.min(boxW / ((lon1 - lon0) * k), boxH / (lat1 - lat0));
  const offX = M + (boxW - (lon1 - lon0) * k * scale) / 2;
  const top = w.y;
  const px = (lon: number, lat: number): [number, number] => [offX + (lon - lon0) * k * scale, top + (lat1 - lat) * scale];
  for (const s of shapes) {
    for (const r of rings(s.geometry)) {
      const pts = r.map(([lon, lat]) => px(lon!, lat!));
      doc.save();
      doc.polygon(...pts).lineWidth(0.6).fillAndStroke(FILL[s.status], '#ffffff');
      doc.restore();
    }
  }
  // No-data wards get a hatch as well as grey, so they read apart from red when printed in black and white.
  for (const s of shapes.filter((x) => x.status === 'no-data')) {
    for (const r of rings(s.geometry)) {
      const pts = r.map(([lon, lat]) => px(lon!, lat!));
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      doc.save();
      doc.polygon(...pts).clip();
      for (let x = Math.min(...xs) - 400; x < Math.max(...xs); x += 5) doc.moveTo(x, Math.max(...ys)).lineTo(x + (Math.max(...ys) - Math.min(...ys)), Math.min(...ys)).lineWidth(0.3).stroke('#9e9e9e');
      doc.restore();
    }
  }
  w.y = top + (lat1 - lat0) * scale + 8;
  let x = M;
  for (const s of ['green', 'orange', 'red', 'no-data'] as const) {
    doc.rect(x, w.y, 10, 10).fill(FILL[s]);
    doc.font('Helvetica').fontSize(8).fillColor('#222222').text(KPI_STATUS_WORDS[s].id, x + 14, w.y + 1);
    x += 120;
  }
  w.y += 16;
  w.para('Warna: warga terjangkau titik aktif terhadap ambang KPI. / Colour: residents covered by live points against the KPI thresholds.', { size: 8, color: '#555555' });
}

export function renderMonthlyReport(m: MonthlyReportModel): Promise<Uint8Array<ArrayBuffer>> {
  const doc = new PDFDocument({
    size: 'A4', margin: M, bufferPages: true, autoFirstPage: true, lang: 'id-ID', displayTitle: true,
    info: { Title: `Laporan Bulanan Wi-Fi Publik ${m.cityName} ${m.month}`, Author: 'Jangkau', Subject: 'Monthly Public Wi-Fi Report', CreationDate: new Date(m.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
    doc.on('end', () => {
      const all = Buffer.concat(chunks);
      const out = new Uint8Array(new ArrayBuffer(all.length));
      out.set(all);
      resolve(out);
    });
    doc.on('error', reject);
  });

  drawCover(doc, m);
  doc.addPage();
  const w = new Writer(doc);

  w.heading('Ringkasan kota', 'City summary');
  w.table(
    [{ title: 'KPI', width: 200 }, { title: 'Nilai / Value', width: 150 }, { title: 'Target', width: 70, align: 'right' }, { title: 'Status', width: 95 }],
    m.city.map((k) => [
      { text: kpiLabel(k.key, 'id', k.key) },
      { text: k.value === null ? `tidak ada data: ${reasonText(k.reason)}` : fmt(k.value, unitWord(k.unit, 'id')), status: k.status },
      { text: fmt(k.target, unitWord(k.unit, 'id')) },
      { text: KPI_STATUS_WORDS[k.status].id },
    ]),
    { size: 9 },
  );

  w.heading('Peta kelurahan menurut jangkauan', 'Map of wards coloured by coverage');
  drawMap(w, m);

  w.heading('Per kecamatan', 'Per district (kecamatan)');
  w.table(
    [{ title: 'Kecamatan', width: 120 }, { title: 'Kelurahan / Wards', width: 60, align: 'right' }, { title: 'Titik aktif / Live points', width: 70, align: 'right' },
      { title: 'Penduduk / Residents', width: 80, align: 'right' }, { title: 'Warga terjangkau / Residents covered', width: 100 }, { title: 'Ketersediaan 7 hari / Availability 7 days', width: 85 }],
    m.districts.map((d) => [
      { text: d.kecamatan }, { text: String(d.wards) }, { text: String(d.livePoints) }, { text: d.residents === null ? 'tidak ada data' : nf.format(d.residents) },
      { text: d.residentsCoveredPct === null ? `tidak ada data: ${reasonText(d.reason)}` : fmt(d.residentsCoveredPct, '%'), status: d.status },
      { text: d.availabilityPct === null ? 'tidak ada data' : fmt(d.availabilityPct, '%') },
    ]),
  );

  w.heading('Per kelurahan', 'Per ward');
  const wardKeys = ['livePoints', 'residentsCoveredPct', 'availabilityPct', 'contractedMbps', 'measuredMbps', 'timeToRestoreH'];
  const sorted = [...m.wards].sort((a, b) => a.district.localeCompare(b.district) || a.wardName.localeCompare(b.wardName));
  w.table(
    [{ title: 'Kelurahan', width: 88 }, { title: 'Kecamatan', width: 67 },
      ...wardKeys.map((k) => ({ title: `${kpiLabel(k, 'id', k)}`, width: 60 }))],
    sorted.map((wd) => [
      { text: wd.wardName }, { text: wd.district },
      ...wardKeys.map((key) => {
        const k = wd.kpis.find((x) => x.key === key);
        if (k === undefined || k.value === null) return { text: `tidak ada data (${k?.reason ?? '-'})`, status: 'no-data' as KpiStatus };
        return { text: fmt(k.value, unitWord(k.unit, 'id')), status: k.status };
      }),
    ]),
    { size: 6.5 },
  );
  w.para(`Alasan "tidak ada data" / Reasons for "no data": ${Object.entries(KPI_REASON_WORDS).map(([code, words]) => `${code}: ${words.id}`).join('; ')}.`, { size: 7, color: '#555555' });

  w.heading('Ketersediaan per penyedia', 'Availability per provider');
  if (m.providers.length === 0) w.para('Tidak ada data: belum ada penyedia tercatat pada lokasi. / No data: no provider is recorded on the sites.');
  else {
    w.table(
      [{ title: 'Penyedia / Provider', width: 130 }, { title: 'Perangkat / Devices', width: 65, align: 'right' }, ...['providerAvailabilityPct', 'providerIncidents', 'providerTimeToRestoreH'].map((k) => ({ title: kpiLabel(k, 'id', k), width: 106 }))],
      m.providers.map((p) => [
        { text: p.provider }, { text: String(p.devices) },
        ...p.kpis.map((k) => (k.value === null ? { text: `tidak ada data: ${reasonText(k.reason)}`, status: 'no-data' as KpiStatus } : { text: fmt(k.value, unitWord(k.unit, 'id')), status: k.status })),
      ]),
    );
  }

  w.heading('Gangguan dan waktu pemulihan', 'Incidents and time to restore');
  w.para(`Gangguan yang dimulai bulan ini / Incidents begun this month: ${m.incidents.total}; dipulihkan / restored: ${m.incidents.restored}; masih terbuka / still open: ${m.incidents.open}. ` +
    `Rata-rata waktu pemulihan / Mean time to restore: ${m.incidents.meanRestoreH === null ? 'tidak ada data (tidak ada gangguan yang dipulihkan / none restored)' : fmt(m.incidents.meanRestoreH, 'jam')}.`);
  if (m.incidents.longest.length > 0) {
    w.table(
      [{ title: 'Perangkat / Device', width: 150 }, { title: 'Lokasi / Site', width: 150 }, { title: 'Mulai / Started', width: 110 }, { title: 'Durasi / Duration', width: 105 }],
      m.incidents.longest.map((i) => [{ text: i.device }, { text: i.site ?? '-' }, { text: wib(i.startedAt) }, { text: `${fmt(i.hours, 'jam')}${i.open ? ' (masih terbuka / open)' : ''}` }]),
    );
  }

  w.heading('Kemajuan pemasangan terhadap rencana dan anggaran', 'Rollout progress against plan and budget');
  if (m.programmes.length === 0) w.para('Tidak ada data: belum ada program pemasangan. / No data: no rollout programme yet.');
  else {
    w.table(
      [{ title: 'Program', width: 110 }, { title: 'Lokasi / Items', width: 50, align: 'right' }, { title: 'Aktif / Live', width: 45, align: 'right' }, { title: 'Kemajuan / Progress', width: 65, align: 'right' },
        { title: 'Jadwal / Schedule', width: 65, align: 'right' }, { title: 'Anggaran terpakai / Budget used', width: 85, align: 'right' }, { title: 'Status', width: 95 }],
      m.programmes.map((p) => {
        const worst = p.kpis.map((k) => k.status).sort((a, b) => rank(b) - rank(a))[0] ?? 'no-data';
        return [
          { text: p.programme }, { text: String(p.items) }, { text: String(p.live) }, { text: fmt(p.progressPct, '%') }, { text: fmt(p.schedulePct, '%') },
          { text: p.budgetUsedPct === null ? 'tidak ada data' : `${fmt(p.budgetUsedPct, '%')} dari ${nf.format(p.budgetTotal)}` },
          { text: KPI_STATUS_WORDS[worst].id, status: worst },
        ];
      }),
    );
  }

  w.heading('Laporan warga', "Citizens' reports (no signal here)");
  if (m.reports.total === 0) w.para('Tidak ada laporan warga bulan ini. / No citizens\' reports this month.');
  else {
    w.para(`Laporan bulan ini / Reports this month: ${m.reports.total} (${Object.entries(m.reports.byTriage).map(([k, n]) => `${k}: ${n}`).join(', ')}).`);
    w.table([{ title: 'Kecamatan', width: 200 }, { title: 'Laporan / Reports', width: 100, align: 'right' }], m.reports.byDistrict.map((d) => [{ text: d.kecamatan }, { text: String(d.n) }]));
  }

  w.heading('Catatan per KPI dari penanggung jawab', 'Notes per KPI from their person in charge (PIC)');
  if (m.notes.length === 0) w.para('Belum ada catatan PIC untuk bulan ini. / No notes from the PICs for this month.');
  for (const n of m.notes) {
    w.para(`${kpiLabel(n.key, 'id', n.key)} - ${n.department ?? 'dinas belum ditetapkan'}${n.pic === null ? '' : `, PIC ${n.pic}`}`, { font: 'Helvetica-Bold', size: 9 });
    w.para(n.note, { size: 9 });
  }

  // Footers on every page but the cover.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (i === range.start) continue;
    // Writing below the bottom margin would make pdfkit start a new page: the footer lives in the margin.
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(7.5).fillColor('#777777').text(
      `${m.cityName} - Laporan bulanan Wi-Fi publik ${m.month} - halaman ${i + 1} dari ${range.count} / page ${i + 1} of ${range.count}`,
      M, A4.h - 35, { width: A4.w - 2 * M, align: 'center', lineBreak: false },
    );
  }
  doc.end();
  return done;
}

function rank(s: KpiStatus): number {
  return s === 'red' ? 3 : s === 'orange' ? 2 : s === 'green' ? 1 : 0;
}

export function createNodePdfMaker(): PdfMaker {
  return { monthlyReport: renderMonthlyReport };
}
