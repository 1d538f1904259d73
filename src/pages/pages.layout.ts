// The frame of every public booking page and its Content-Security-Policy. Pure.
// The policy allows the page's own style (by hash, computed per page because branding colours go
// into it), the bundled script (by a nonce fresh per response, plus subresource integrity), forms
// to this origin (and to the meeting type's redirect target), and framing only for embeds.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../lib/text.ts';

const BASE_STYLE = `
:root{color-scheme:light;--brand:#1d4ed8;--ink:#111827;--muted:#4b5563;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:var(--ink);background:#fff}
*{box-sizing:border-box}
body{margin:0;padding:1rem}
main{max-width:46rem;margin:0 auto}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.muted{color:var(--muted)}
.top{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;align-items:center}
.types{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.types a{display:block;border:1px solid #d1d5db;border-radius:.5rem;padding:.75rem 1rem;text-decoration:none}
.types a:hover{border-color:var(--brand)}
.types strong{display:block}
.cal{width:100%;border-collapse:collapse;table-layout:fixed}
.cal th{font-size:.85rem;color:var(--muted);font-weight:600;padding:.25rem 0}
.cal td{text-align:center;padding:2px}
.cal a,.cal span{display:block;padding:.5rem 0;border-radius:.4rem}
.cal a{font-weight:700;background:#dbeafe;color:#1e3a8a;text-decoration:none}
.cal a[aria-current]{background:var(--brand);color:#fff}
.cal span{color:#4b5563}
.nav{display:flex;justify-content:space-between;align-items:center;margin:.5rem 0}
.times{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(6.5rem,1fr));gap:.5rem}
.times a{display:block;text-align:center;border:2px solid var(--brand);border-radius:.4rem;padding:.5rem;text-decoration:none;font-weight:600}
.spots{display:block;font-size:.8rem;font-weight:400}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.75rem 0}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,textarea{font:inherit;padding:.5rem;border:1px solid #6b7280;border-radius:.4rem;max-width:100%}
input,textarea{width:100%}
button,.button{font:inherit;display:inline-block;padding:.6rem 1rem;border-radius:.4rem;border:2px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none}
.secondary{background:transparent;color:var(--brand)}
.notice{border-left:4px solid #b45309;background:#fffbeb;padding:.5rem .75rem;margin:1rem 0}
.errors{border-left:4px solid #b91c1c;background:#fef2f2;padding:.5rem .75rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.header-image{width:100%;max-height:10rem;object-fit:cover;border-radius:.5rem}
footer{margin-top:2rem;font-size:.9rem}
h1[tabindex]:focus{outline:none}
`;

export interface LayoutInput {
  lang: string;
  title: string;
  body: string;
  /** Extra CSS (branding colours), already validated. */
  style?: string;
  script?: { src: string; integrity: string };
  nonce: string;
  /** `'none'` unless the page is an embed. */
  frameAncestors: string;
  /** Origins a form may be sent to besides this one (a redirect after booking). */
  formTargets?: string[];
  /** Data attributes of <main> for the script (escaped). */
  data?: Record<string, string>;
}

export interface LaidOut {
  html: string;
  csp: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function layout(input: LayoutInput): LaidOut {
  const style = BASE_STYLE + (input.style ?? '');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${input.nonce}'`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' https: data:",
    "base-uri 'none'",
    `form-action 'self'${(input.formTargets ?? []).map((t) => ` ${t}`).join('')}`,
    `frame-ancestors ${input.frameAncestors}`,
  ].join('; ');
  const data = Object.entries(input.data ?? {})
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('');
  const script = input.script
    ? `<script defer src="${escapeHtml(input.script.src)}" integrity="${input.script.integrity}" nonce="${input.nonce}"></script>`
    : '';
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(input.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${style}</style>`,
    script,
    '</head>',
    '<body>',
    `<main${data}>`,
    input.body,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n');
  return { html, csp };
}
