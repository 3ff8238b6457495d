import { createTransport } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Stable per idempotency key, so a resend after a crash is recognisably the same message. */
  messageId: string;
  headers: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/** Sends over SMTP with nodemailer (`SMTP_URL`, e.g. smtp://user:pass@host:587). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport(smtpUrl);
  return {
    async send(email) {
      const info = await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text, messageId: email.messageId, headers: email.headers });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
