/**
 * The Node runtime's Mailer: nodemailer's SMTP transport (a maintained client that already handles what a small
 * hand-written one would get wrong: dot-stuffing, line lengths, MIME encoding of Indonesian text, AUTH mechanisms,
 * pipelining and multi-line replies). STARTTLS is required when chosen (`requireTLS`), certificates are verified
 * (optionally against the channel's own CA), one connection per message (alerts are few), bounded by deadlines.
 */
import nodemailer from 'nodemailer';
import type { MailMessage, MailOutcome, Mailer, SmtpSettings } from './mailer.ts';

export const nodeMailer: Mailer = {
  async send(settings: SmtpSettings, message: MailMessage, options: { timeoutMs?: number } = {}): Promise<MailOutcome> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ...(settings.username !== null && settings.username !== '' ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(settings.caPem === null ? {} : { ca: [settings.caPem] }) },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({ from: message.from, to: [...message.to], subject: message.subject, text: message.text });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0 && rejected.length === message.to.length) return { delivered: false, error: `every recipient refused: ${rejected.join(', ')}`, status: null };
      return { delivered: true, error: null, status: Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250) };
    } catch (e) {
      const err = e as { message?: string; responseCode?: number; code?: string };
      const text = (err.message ?? String(e)).replace(settings.password ?? '\u0000never', '***').slice(0, 300);
      return { delivered: false, error: err.code === undefined ? text : `${err.code}: ${text}`, status: typeof err.responseCode === 'number' ? err.responseCode : null };
    } finally {
      transport.close();
    }
  },
};
