/**
 * A small structured logger. It writes JSON lines; fields whose names look like secrets are replaced, so a careless
 * call cannot print a password, token or community string.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_FIELD = /pass|secret|token|community|cookie|authorization|key|otp|phone/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) ? '[redacted]' : v;
  return out;
}

export function createLogger(options: { write?: (line: string) => void; quiet?: boolean } = {}): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const emit = (level: string, message: string, fields?: Record<string, unknown>): void => {
    if (options.quiet === true && level === 'info') return;
    write(JSON.stringify({ t: new Date().toISOString(), level, msg: message, ...(fields === undefined ? {} : redact(fields)) }));
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
