// A one-off email a host writes to an attendee (spec AT2): their subject and text as given, shown
// as plain paragraphs; nothing of the host's text is interpreted as HTML. Pure.
import { escapeHtml } from '../lib/text.ts';
import type { RenderedEmail } from './email.templates.ts';

export interface QuickMailPayload {
  kind: 'quick_mail';
  to: string;
  /** The user (or `company:<id>`) that sent it: the unit of the 5-per-5-minutes limit. */
  senderId: string;
  senderName: string;
  attendeeId: string;
  subject: string;
  content: string;
  /** Quick mails never carry self-service links. */
  withLinks: false;
}

export function isQuickMail(payload: { kind: string }): payload is QuickMailPayload {
  return payload.kind === 'quick_mail';
}

export function renderQuickMail(payload: QuickMailPayload): RenderedEmail {
  const paragraphs = payload.content.split(/\r?\n\s*\r?\n/).map((block) => block.trim()).filter(Boolean);
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    ...paragraphs.map((block) => `<p>${escapeHtml(block).replace(/\r?\n/g, '<br>')}</p>`),
    payload.senderName ? `<p style="color:#888">${escapeHtml(payload.senderName)}</p>` : '',
    '</body></html>',
  ].join('\n');
  const text = payload.senderName ? `${payload.content}\n\n${payload.senderName}` : payload.content;
  return { to: payload.to, subject: payload.subject.replace(/[\r\n]+/g, ' '), text, html };
}
