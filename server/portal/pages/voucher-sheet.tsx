/**
 * A printable A4 sheet of a voucher batch (issue 14: Mikhmon-style templates): the Wi-Fi name, steps in Bahasa
 * Indonesia, the allowance, how long a voucher lasts after first use, when unused ones expire, the price if any,
 * and per voucher its code and a QR code that opens the hotspot's login page with the code filled in (the `uqr`
 * package behind pure/qr-code.ts, inline SVG). Used and revoked vouchers are printed faded and marked, so a reprint shows what is left.
 */
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { VoucherBatchRow } from '../queries/vouchers.ts';
import type { VoucherSheetEntry } from '../services/vouchers.ts';
import { formatBytes, formatDuration } from '../pure/i18n.ts';
import { encodeQr, qrSvg } from '../pure/qr-code.ts';
import { voucherLoginUrl } from '../pure/voucher-code.ts';

const CSS =
  'body{font:11px system-ui,sans-serif;margin:8mm;color:#111}h1{font-size:14px;margin:0 0 2mm}.how{margin:0 0 4mm;font-size:11px}.how ol{margin:1mm 0;padding-left:5mm}' +
  '.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:4mm}.card{border:1px dashed #555;padding:3mm;break-inside:avoid;text-align:center}' +
  '.ssid{font-weight:bold}.code{font:bold 16px monospace;letter-spacing:1px;margin:1mm 0}.used{opacity:.35}.mark{font-weight:bold;text-transform:uppercase}' +
  '.qr svg{width:30mm;height:30mm}.small{font-size:9px;color:#333}@media print{body{margin:6mm}}';

/** The city day (WIB) of an instant, e.g. 2026-12-31. */
function wibDay(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
}

function rupiah(n: number | null | undefined): string {
  if (n === null || n === undefined || n <= 0) return 'Gratis';
  return `Rp ${n.toLocaleString('id-ID')}`;
}

export const VoucherSheet: FC<{ batch: VoucherBatchRow; entries: VoucherSheetEntry[]; portalOrigin: string; loginHost: string | null }> = ({ batch, entries, portalOrigin, loginHost }) => {
  const ssid = batch.ssid ?? null;
  const allowance = `${formatDuration('id', batch.time_quota_s)} · ${formatBytes('id', Number(batch.data_quota_bytes))}`;
  return (
    <html lang="id">
      <head>
        <meta charset="utf-8" />
        <title>{`Voucher ${batch.name}`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <h1>
          Voucher Wi-Fi Kota Cilegon - {batch.name} ({String(entries.length)})
        </h1>
        <div class="how">
          <ol>
            <li>{ssid === null ? 'Sambungkan HP ke Wi-Fi kota.' : `Sambungkan HP ke Wi-Fi "${ssid}".`}</li>
            <li>{loginHost === null ? 'Buka halaman web apa saja; halaman masuk terbuka sendiri.' : 'Pindai kode QR dengan kamera HP, atau buka halaman web apa saja.'}</li>
            <li>Masukkan kode voucher (bila belum terisi), centang persetujuan, lalu tekan "Pakai voucher".</li>
          </ol>
          <span>
            Jatah: {allowance}. Berlaku {formatDuration('id', batch.validity_s)} sejak pertama dipakai. Voucher yang belum dipakai kedaluwarsa {wibDay(Number(batch.expires_at))}. Harga:{' '}
            {rupiah(batch.price_idr)}.
          </span>
        </div>
        <div class="grid">
          {entries.map((e) => (
            <div class={e.redeemed || e.revoked ? 'card used' : 'card'} data-seq={String(e.seq)}>
              {ssid !== null && <div class="ssid">Wi-Fi: {ssid}</div>}
              {loginHost !== null && <div class="qr">{raw(qrSvg(encodeQr(voucherLoginUrl(loginHost, portalOrigin, e.code)), { moduleSize: 4 }))}</div>}
              <div class="code">{e.code}</div>
              <div>{allowance}</div>
              <div class="small">
                {rupiah(batch.price_idr)} · s.d. {wibDay(Number(batch.expires_at))} · #{String(e.seq)}
              </div>
              {e.revoked ? <div class="mark">dicabut</div> : e.redeemed ? <div class="mark">terpakai</div> : null}
            </div>
          ))}
        </div>
      </body>
    </html>
  );
};
