/**
 * The generic HTTP SMS/WhatsApp gateway, pure part (issue 14): how one message becomes one HTTP request, and how the
 * gateway's answer is judged. No I/O here; `services/sms-gateway.ts` sends and records.
 *
 * A gateway is described by: URL, method, headers (their values are secrets, sealed at rest), a content type (form or
 * JSON), a body template with `{phone}`, `{message}` and `{secret:NAME}` placeholders, the phone format it expects,
 * and a success test (a status range and, optionally, a text the body must contain). Every value put into the
 * template is escaped for the chosen format (form: percent-encoded; JSON: a JSON string's inside), so a message or
 * secret holding `&`, `=`, `"` or a newline cannot add a field or break the document.
 */

export type SmsContentType = 'form' | 'json';
export type SmsPhoneFormat = 'e164' | 'international' | 'national';

export interface SmsHttpSpec {
  url: string;
  method: 'POST' | 'GET';
  contentType: SmsContentType;
  bodyTemplate: string;
  phoneFormat: SmsPhoneFormat;
  /** The answer is a success when its status lies in [min, max] ... */
  successStatusMin: number;
  successStatusMax: number;
  /** ... and, when set, its body contains this text (whitespace ignored on both sides). */
  successBodyMatch: string | null;
}

export interface SmsRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string | null;
}

/** Templates for gateways in common use in Indonesia (field names from their public API documentation). */
export interface SmsPreset extends SmsHttpSpec {
  id: 'zenziva' | 'fonnte' | 'wablas';
  label: string;
  /** Header names the admin fills in (values are secrets). */
  headerNames: string[];
  /** Secret names the body template uses (`{secret:NAME}`). */
  secretNames: string[];
  note: string;
}

export const SMS_PRESETS: readonly SmsPreset[] = [
  {
    id: 'zenziva',
    label: 'Zenziva (SMS reguler)',
    url: 'https://console.zenziva.net/reguler/api/sendsms/',
    method: 'POST',
    contentType: 'form',
    bodyTemplate: 'userkey={secret:userkey}&passkey={secret:passkey}&to={phone}&message={message}',
    phoneFormat: 'national',
    successStatusMin: 200,
    successStatusMax: 299,
    successBodyMatch: '"status":"1"',
    headerNames: [],
    secretNames: ['userkey', 'passkey'],
    note: 'userkey dan passkey dari menu API di console Zenziva. / userkey and passkey from the API menu of the Zenziva console.',
  },
  {
    id: 'fonnte',
    label: 'Fonnte (WhatsApp)',
    url: 'https://api.fonnte.com/send',
    method: 'POST',
    contentType: 'form',
    bodyTemplate: 'target={phone}&message={message}&countryCode=62',
    phoneFormat: 'national',
    successStatusMin: 200,
    successStatusMax: 299,
    successBodyMatch: '"status":true',
    headerNames: ['Authorization'],
    secretNames: [],
    note: 'Authorization: token perangkat dari daftar perangkat Fonnte. / Authorization: the device token from the Fonnte device list.',
  },
  {
    id: 'wablas',
    label: 'Wablas (WhatsApp)',
    url: 'https://solo.wablas.com/api/send-message',
    method: 'POST',
    contentType: 'form',
    bodyTemplate: 'phone={phone}&message={message}',
    phoneFormat: 'international',
    successStatusMin: 200,
    successStatusMax: 299,
    successBodyMatch: '"status":true',
    headerNames: ['Authorization'],
    secretNames: [],
    note: "Ganti 'solo' dengan server akun Anda; Authorization: token (atau token.secret_key). / Replace 'solo' with your account's server; Authorization: the token (or token.secret_key).",
  },
];

const PLACEHOLDER = /\{(phone|message|secret:([A-Za-z0-9_-]{1,40}))\}/g;

/** The number as the gateway wants it, from the portal's one form (+628...). */
export function formatPhone(e164: string, format: SmsPhoneFormat): string {
  const digits = e164.startsWith('+') ? e164.slice(1) : e164;
  if (format === 'e164') return `+${digits}`;
  if (format === 'international') return digits;
  return digits.startsWith('62') ? `0${digits.slice(2)}` : digits;
}

function escapeFor(contentType: SmsContentType, value: string): string {
  if (contentType === 'form') return encodeURIComponent(value);
  // The inside of a JSON string: the template puts the quotes around the placeholder.
  return JSON.stringify(value).slice(1, -1);
}

/** Secret names a template refers to. */
export function secretNamesOf(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) if (m[2] !== undefined) names.add(m[2]);
  return [...names];
}

export function renderTemplate(template: string, contentType: SmsContentType, values: { phone: string; message: string; secrets: Record<string, string> }): string {
  return template.replace(PLACEHOLDER, (_all, key: string, secretName: string | undefined) => {
    const raw = secretName !== undefined ? values.secrets[secretName] : key === 'phone' ? values.phone : values.message;
    if (raw === undefined) throw new Error(`the template names a secret that is not set: ${secretName}`);
    return escapeFor(contentType, raw);
  });
}

/**
 * A reason the spec cannot work, or null. Checked when an admin saves it: the template must name {phone} and
 * {message}, a JSON template must be a JSON document once filled, GET sends the form as the query string.
 */
export function specProblem(spec: SmsHttpSpec, secretsSet: ReadonlySet<string>): { path: string; message: string } | null {
  if (!spec.bodyTemplate.includes('{phone}')) return { path: 'bodyTemplate', message: 'the body template must contain {phone}' };
  if (!spec.bodyTemplate.includes('{message}')) return { path: 'bodyTemplate', message: 'the body template must contain {message}' };
  if (spec.method === 'GET' && spec.contentType === 'json') return { path: 'contentType', message: 'a GET request carries a form (query string), not JSON' };
  if (spec.successStatusMin > spec.successStatusMax) return { path: 'successStatusMin', message: 'the lowest success status is above the highest' };
  for (const name of secretNamesOf(spec.bodyTemplate)) if (!secretsSet.has(name)) return { path: 'secrets', message: `the template uses {secret:${name}}, which is not set` };
  if (spec.contentType === 'json') {
    const secrets = Object.fromEntries([...secretsSet].map((n) => [n, 'x"\\\n']));
    try {
      JSON.parse(renderTemplate(spec.bodyTemplate, 'json', { phone: '+6281234567890', message: 'a "quoted"\nline', secrets }));
    } catch {
      return { path: 'bodyTemplate', message: 'the JSON body template is not JSON once filled in (put placeholders inside quotes: "{message}")' };
    }
  }
  return null;
}

export function buildSmsRequest(spec: SmsHttpSpec, headers: Record<string, string>, secrets: Record<string, string>, message: { to: string; text: string }): SmsRequest {
  const body = renderTemplate(spec.bodyTemplate, spec.contentType, { phone: formatPhone(message.to, spec.phoneFormat), message: message.text, secrets });
  if (spec.method === 'GET') {
    const u = new URL(spec.url);
    u.search = u.search === '' ? body : `${u.search.slice(1)}&${body}`;
    return { url: u.href, method: 'GET', headers: { ...headers }, body: null };
  }
  const contentType = spec.contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  return { url: spec.url, method: 'POST', headers: { 'content-type': contentType, ...headers }, body };
}

const squeeze = (s: string): string => s.replace(/\s+/g, '');

/** Whether the gateway took the message; the reason in words when not (never the number or the message). */
export function judgeAnswer(spec: Pick<SmsHttpSpec, 'successStatusMin' | 'successStatusMax' | 'successBodyMatch'>, status: number, body: string): { ok: true } | { ok: false; reason: string; retry: boolean } {
  if (status < spec.successStatusMin || status > spec.successStatusMax) {
    // 408, 425, 429 and 5xx are worth another try; other refusals (wrong key, bad request) are not.
    const retry = status === 408 || status === 425 || status === 429 || status >= 500;
    return { ok: false, reason: `HTTP ${status}`, retry };
  }
  if (spec.successBodyMatch !== null && spec.successBodyMatch !== '' && !squeeze(body).includes(squeeze(spec.successBodyMatch))) {
    // A gateway that answers 200 with a failure (balance, device offline) may recover: retried like a 5xx.
    return { ok: false, reason: `HTTP ${status}, the answer lacks ${spec.successBodyMatch}`, retry: true };
  }
  return { ok: true };
}
