// @ts-check
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A development mail sink: accepts any message over SMTP and saves it as an .eml file, so demo
 * emails are real SMTP traffic without reaching anyone.
 * @param {{ port: number, dir: string, log?: (line: string) => void }} options
 * @returns {Promise<{ port: number, stop: () => Promise<void> }>}
 */
export async function startSmtpSink({ port, dir, log = console.log }) {
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      /** @type {Buffer[]} */
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const subject = /^Subject: (.*)$/im.exec(raw.toString('utf8'))?.[1] ?? '(no subject)';
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${session.id}.eml`);
        writeFileSync(file, raw);
        log(`mail to ${to}: ${subject}`);
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  return { port, stop: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}
