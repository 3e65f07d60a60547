/**
 * The words of incident alerts, in Bahasa Indonesia (the city's engineers read them on their phones): a subject line
 * and a plain-text body for Telegram and e-mail. Webhooks get JSON (payload.ts) and may word it themselves.
 * Times are in WIB (Asia/Jakarta), durations as "2 jam 14 menit".
 */
import type { Severity } from '../../core/schemas/alerts.ts';

export interface AlertSubject {
  incidentId: string;
  deviceName: string | null;
  deviceId: string;
  siteName: string | null;
  wardName: string | null;
  severity: Severity;
  startedAtMs: number;
  endedAtMs: number | null;
  cause: { kind: string; message: string };
}

export type AlertMessageEvent =
  | { type: 'opened' }
  | { type: 'closed' }
  | { type: 'acknowledged'; by: string; note: string | null }
  | { type: 'test'; channelName: string; by: string };

const CAUSE_ID: Record<string, string> = {
  timeout: 'tidak ada jawaban dalam batas waktu',
  refused: 'sambungan ditolak',
  auth: 'gagal masuk (kredensial salah)',
  protocol: 'jawaban perangkat tidak sesuai protokol',
  malformed: 'jawaban perangkat rusak',
  unreachable: 'perangkat tidak terjangkau',
  config: 'pengaturan pemantauan tidak lengkap',
  internal: 'kesalahan di sisi Jangkau',
};

const WIB = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

export function wibTime(ms: number): string {
  return `${WIB.format(new Date(ms)).replace(/\./g, ':')} WIB`;
}

export function durationId(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} hari ${h} jam`;
  if (h > 0) return `${h} jam ${m} menit`;
  if (m > 0) return `${m} menit`;
  return `${s} detik`;
}

export function causeId(kind: string): string {
  return CAUSE_ID[kind] ?? kind;
}

function where(s: AlertSubject): string {
  return [s.siteName, s.wardName === null ? null : `Kel. ${s.wardName}`].filter((x) => x !== null && x !== '').join(', ') || 'tanpa lokasi';
}

/** Subject and body of one alert, in Bahasa Indonesia. */
export function alertText(subject: AlertSubject, event: AlertMessageEvent): { subject: string; text: string } {
  const name = subject.deviceName ?? subject.deviceId;
  const level = subject.severity === 'critical' ? 'KRITIS' : 'PERINGATAN';
  if (event.type === 'test') {
    return {
      subject: `[Jangkau] Uji saluran peringatan "${event.channelName}"`,
      text: [`Pesan uji dari Jangkau untuk saluran "${event.channelName}".`, `Dikirim oleh ${event.by} pada ${wibTime(subject.startedAtMs)}.`, 'Jika pesan ini sampai, peringatan gangguan juga akan sampai ke sini.'].join('\n'),
    };
  }
  if (event.type === 'opened') {
    return {
      subject: `[Jangkau] ${level}: ${name} mati`,
      text: [
        `🔴 GANGGUAN (${level}): ${name} mati`,
        `Lokasi: ${where(subject)}`,
        `Sejak: ${wibTime(subject.startedAtMs)}`,
        `Penyebab: ${causeId(subject.cause.kind)}`,
        `Insiden: ${subject.incidentId}`,
      ].join('\n'),
    };
  }
  if (event.type === 'closed') {
    const lasted = subject.endedAtMs === null ? null : (subject.endedAtMs - subject.startedAtMs) / 1000;
    return {
      subject: `[Jangkau] PULIH: ${name} aktif kembali`,
      text: [
        `✅ PULIH: ${name} aktif kembali`,
        `Lokasi: ${where(subject)}`,
        `Mati sejak ${wibTime(subject.startedAtMs)}${subject.endedAtMs === null ? '' : ` sampai ${wibTime(subject.endedAtMs)}`}`,
        lasted === null ? null : `Lama gangguan: ${durationId(lasted)}`,
        `Insiden: ${subject.incidentId}`,
      ]
        .filter((x) => x !== null)
        .join('\n'),
    };
  }
  return {
    subject: `[Jangkau] DITANGANI: gangguan ${name}`,
    text: [
      `🛠 DITANGANI: gangguan ${name} diakui oleh ${event.by}`,
      `Lokasi: ${where(subject)}`,
      `Mati sejak: ${wibTime(subject.startedAtMs)}`,
      event.note === null || event.note === '' ? null : `Catatan: ${event.note}`,
      `Insiden: ${subject.incidentId}`,
    ]
      .filter((x) => x !== null)
      .join('\n'),
  };
}

/** Issue 14: rupiah as the city writes it (Rp 40.000). */
function rupiah(n: number): string {
  return `Rp ${Math.round(n).toLocaleString('id-ID')}`;
}

/**
 * The SMS daily cost cap was reached (issue 14): sign-in codes are refused until midnight WIB and citizens are
 * offered vouchers. Not an incident, so in Bahasa Indonesia and then in English for whoever reads the channel.
 */
export function smsCapText(cap: { day: string; capIdr: number; pricePerMessageIdr: number; messages: number }): { subject: string; text: string } {
  return {
    subject: `[Jangkau] PERINGATAN: batas biaya SMS harian tercapai (${cap.day}) / SMS daily cost cap reached`,
    text: [
      `⚠️ PERINGATAN: batas biaya SMS harian portal Wi-Fi tercapai (${cap.day})`,
      `Batas: ${rupiah(cap.capIdr)} = ${cap.messages} pesan x ${rupiah(cap.pricePerMessageIdr)}`,
      'Kode masuk lewat SMS ditolak sampai pukul 00.00 WIB; warga ditawari voucher. Naikkan batas di konsol (Hotspot > Gateway SMS) bila perlu.',
      '',
      `WARNING: the Wi-Fi portal's SMS daily cost cap was reached (${cap.day})`,
      `Cap: ${rupiah(cap.capIdr)} = ${cap.messages} messages x ${rupiah(cap.pricePerMessageIdr)}`,
      'Sign-in codes by SMS are refused until midnight WIB; citizens are offered vouchers. Raise the cap in the console (Hotspot > SMS gateway) if needed.',
    ].join('\n'),
  };
}
