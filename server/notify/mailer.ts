/**
 * E-mail alerts go through a Mailer the runtime provides: the Node entry gives an SMTP one (smtp-node.ts,
 * nodemailer); Workers cannot open SMTP connections, so there the e-mail channel records "unavailable".
 */
export interface SmtpSettings {
  host: string;
  port: number;
  /** starttls: the upgrade is required (a server without STARTTLS is refused); tls: TLS from the first byte. */
  security: 'starttls' | 'tls';
  username: string | null;
  password: string | null;
  /** A CA certificate (PEM) to trust for this server, besides the system's. */
  caPem: string | null;
}

export interface MailMessage {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
}

export interface MailOutcome {
  delivered: boolean;
  /** The server's last reply or the failure, never a password. */
  error: string | null;
  status: number | null;
}

export interface Mailer {
  send(settings: SmtpSettings, message: MailMessage, options?: { timeoutMs?: number }): Promise<MailOutcome>;
}
