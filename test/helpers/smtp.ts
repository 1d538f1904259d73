// A real SMTP server on loopback (smtp-server) that keeps every message, and a small MIME reader
// (mailparser does not install here): headers, nested multipart bodies, base64 and
// quoted-printable decoding — enough to read what nodemailer writes.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface MimePart {
  headers: Record<string, string>;
  contentType: string;
  body: string;
  parts: MimePart[];
}

export interface Captured {
  to: string[];
  raw: string;
  mime: MimePart;
}

export interface SmtpOptions {
  /** The first this many messages are refused with a temporary error (451). */
  failFirst?: number;
  /**
   * Messages to a matching recipient are held (their DATA never answered) until `release()` or
   * `close()`: a recipient server that hangs. They, and any later, are then refused with a
   * temporary error.
   */
  hold?: (recipient: string) => boolean;
}

export async function startSmtp(options: SmtpOptions = {}) {
  const messages: Captured[] = [];
  let failures = options.failFirst ?? 0;
  const held = new Set<(error: Error) => void>();
  let everHeld = 0;
  let holding = true;
  /** Refuses what is held, and holds nothing from now on (retries are then refused at once). */
  const release = () => {
    holding = false;
    for (const refuse of held) refuse(Object.assign(new Error('released, try later'), { responseCode: 451 }));
    held.clear();
  };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.hold && session.envelope.rcptTo.some((r) => options.hold!(r.address))) {
          if (!holding) return callback(Object.assign(new Error('not now, try later'), { responseCode: 451 }));
          everHeld++;
          held.add(callback);
          return;
        }
        if (failures > 0) {
          failures--;
          return callback(Object.assign(new Error('mailbox unavailable, try later'), { responseCode: 451 }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, mime: parseMime(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Messages being held right now, and all ever held. */
    get holding() {
      return held.size;
    },
    get everHeld() {
      return everHeld;
    },
    release,
    close: () => {
      release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function decodeWords(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, _charset, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

export function parseMime(raw: string): MimePart {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const contentType = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    const sections = body.split(`--${boundary}`).slice(1, -1);
    const parts = sections.map((section) => parseMime(section.replace(/^\r?\n/, '')));
    return { headers, contentType, body: '', parts };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return { headers, contentType, body: decoded, parts: [] };
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}

export function partOf(message: Captured, type: string): MimePart | undefined {
  return leaves(message.mime).find((part) => part.contentType.toLowerCase().startsWith(type));
}
