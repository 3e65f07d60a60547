/** A printable A4 sheet of a voucher batch: code, allowance and a QR code (our own encoder, inline SVG) per voucher. */
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { VoucherBatchRow } from '../db/portal-vouchers.ts';
import type { VoucherSheetEntry } from '../services/portal/vouchers.ts';
import { formatBytes, formatDuration } from './i18n.ts';
import { encodeQr, qrSvg } from './qr-code.ts';

const CSS =
  'body{font:12px system-ui,sans-serif;margin:8mm}h1{font-size:14px}.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:4mm}' +
  '.card{border:1px dashed #555;padding:3mm;break-inside:avoid;text-align:center}.code{font:bold 16px monospace;letter-spacing:1px}.used{opacity:.35}svg{width:28mm;height:28mm}';

export const VoucherSheet: FC<{ batch: VoucherBatchRow; entries: VoucherSheetEntry[]; portalOrigin?: string }> = ({ batch, entries }) => (
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
      <div class="grid">
        {entries.map((e) => (
          <div class={e.redeemed ? 'card used' : 'card'}>
            {raw(qrSvg(encodeQr(e.code), { moduleSize: 4 }))}
            <div class="code">{e.code}</div>
            <div>
              {formatDuration('id', batch.time_quota_s)} · {formatBytes('id', Number(batch.data_quota_bytes))} · #{String(e.seq)}
            </div>
          </div>
        ))}
      </div>
    </body>
  </html>
);
