// @ts-check
// A development mail sink: real SMTP on loopback (any sender, optional auth, no TLS) that saves
// each message as an .eml file instead of delivering it, so demo emails reach no one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** `CAIRN_SMTP_PORT`, default 1025. */
export const DEFAULT_SMTP_PORT = Number(process.env.CAIRN_SMTP_PORT ?? 1025);

/**
 * @param {{ port?: number, dir: string, log?: (line: string) => void }} options `port` 0 picks a free one
 * @returns {Promise<{ port: number, url: string, stop: () => Promise<void> }>}
 */
export async function startSmtpSink({ port = DEFAULT_SMTP_PORT, dir, log = console.log }) {
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'dev' }); // any credentials: this is a sink
    },
    onData(stream, session, callback) {
      /** @type {Buffer[]} */
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        try {
          const raw = Buffer.concat(chunks);
          const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${session.id}.eml`);
          writeFileSync(file, raw);
          log(describe(raw, session.envelope));
          callback();
        } catch (error) {
          callback(/** @type {Error} */ (error));
        }
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  server.on('error', (error) => log(`error: ${error.message}`));
  const address = server.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * One line per message: sender, recipients, subject.
 * @param {Buffer} raw
 * @param {import('smtp-server').SMTPServerSession['envelope']} envelope
 */
function describe(raw, envelope) {
  const headers = raw.toString('utf8').split(/\r?\n\r?\n/)[0];
  const subject = /^Subject: ?(.*)$/im.exec(headers)?.[1]?.trim() || '(no subject)';
  const from = envelope.mailFrom ? envelope.mailFrom.address : '(no sender)';
  const to = envelope.rcptTo.map((r) => r.address).join(', ');
  return `from ${from} to ${to}: ${subject}`;
}
