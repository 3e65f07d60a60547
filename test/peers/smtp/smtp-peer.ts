/**
 * A real SMTP server on loopback (the `smtp-server` package, as mail relays speak it): STARTTLS with a throw-away
 * certificate, AUTH PLAIN/LOGIN against one account, and every accepted message kept (envelope and raw text).
 * `starttls: false` makes one that does not offer STARTTLS, to prove the client refuses to send in clear.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { selfSignedCert } from '../routeros/tls-cert.ts';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
}

export interface SmtpPeer {
  host: string;
  port: number;
  /** The certificate the server presents (PEM), to trust as the channel's CA. */
  certPem: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpPeer(options: { user: string; pass: string; starttls?: boolean }): Promise<SmtpPeer> {
  const { key, cert } = selfSignedCert('127.0.0.1');
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    key,
    cert,
    secure: false,
    authMethods: ['PLAIN', 'LOGIN'],
    ...(options.starttls === false ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true } : { allowInsecureAuth: false }),
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    certPem: cert,
    received,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
