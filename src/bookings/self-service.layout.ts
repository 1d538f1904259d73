// The frame of every self-service page: one document with its inline style and script and the
// Content-Security-Policy that allows exactly those two (by hash) and nothing else. Pure.
//
// The script takes the appointment id and secret from the page's own address instead of the HTML,
// and posts to the address relative to it, so the pages work behind a path prefix and the secret
// is never written into the document.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../lib/text.ts';

const STYLE = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5}
body{margin:0;padding:1.5rem}
main{max-width:40rem;margin:0 auto}
h1{font-size:1.5rem;margin:0 0 1rem}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1.5rem}
dt{font-weight:600}
dd{margin:0}
label{display:block;font-weight:600;margin-bottom:.25rem}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem}
.hint{margin:.25rem 0 1rem;font-size:.9rem}
button{font:inherit;padding:.6rem 1rem;border-radius:.4rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.time{background:transparent;color:inherit;min-width:6rem}
button:disabled{opacity:.5;cursor:not-allowed}
button:focus-visible,textarea:focus-visible,#status:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.times{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:0}
#status{font-weight:600;margin-top:1rem}
`;

const SCRIPT = `
(function () {
  'use strict';
  var main = document.querySelector('main');
  var status = document.getElementById('status');
  var parts = location.pathname.split('/');
  var secret = decodeURIComponent(parts[parts.length - 1]);
  var id = decodeURIComponent(parts[parts.length - 2]);
  function say(text) { status.textContent = text; status.focus(); }
  function lock(root, busy) {
    root.setAttribute('aria-busy', String(busy));
    root.querySelectorAll('button, textarea').forEach(function (el) {
      if (!el.hasAttribute('data-taken')) el.disabled = busy;
    });
  }
  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer'
    }).then(function (res) { return res.status; }, function () { return 0; });
  }
  function outcome(root, code, done) {
    if (code === 200 || code === 404) {
      root.hidden = true;
      say(code === 200 ? done : main.dataset.gone);
      return;
    }
    lock(root, false);
    say(code === 429 ? main.dataset.busy : main.dataset.failed);
  }
  var cancel = document.getElementById('cancel-form');
  if (cancel) {
    cancel.addEventListener('submit', function (event) {
      event.preventDefault();
      var reason = cancel.querySelector('textarea').value.trim();
      lock(cancel, true);
      post(location.pathname, reason ? { cancellationReason: reason } : {}).then(function (code) {
        outcome(cancel, code, main.dataset.done);
      });
    });
  }
  var starts = document.getElementById('starts');
  if (starts) {
    starts.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-start]');
      if (!button || button.disabled) return;
      lock(starts, true);
      var body = { appointmentId: id, secret: secret, start: button.getAttribute('data-start') };
      post(new URL('../', location.href).pathname, body).then(function (code) {
        if (code === 400) {
          button.setAttribute('data-taken', '');
          button.disabled = true;
          lock(starts, false);
          say(main.dataset.taken);
          return;
        }
        // The answer carries the new secret; it is deliberately not read: the new email brings it.
        outcome(starts, code, main.dataset.done.replace('{when}', button.getAttribute('data-when')));
      });
    });
  }
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Nothing but the page's own style and script; fetch only to its own origin; never framed. */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Messages the script shows, carried as data attributes of <main> (escaped like all text). */
export type ScriptMessages = Partial<Record<'done' | 'taken' | 'gone' | 'busy' | 'failed', string>>;

export function layout(input: { lang: string; title: string; body: string; messages?: ScriptMessages }): string {
  const data = Object.entries(input.messages ?? {})
    .map(([key, text]) => ` data-${key}="${escapeHtml(text)}"`)
    .join('');
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(input.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<main${data}>`,
    input.body,
    '<p id="status" role="status" tabindex="-1"></p>',
    '</main>',
    input.messages ? `<script>${SCRIPT}</script>` : '',
    '</body>',
    '</html>',
  ].join('\n');
}
