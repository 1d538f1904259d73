// Pure renderer of a meeting type's page: the month calendar (days with free starts are links),
// the starts of the chosen day in the visitor's zone, the zone and duration choices, and — once a
// start is chosen — the booking form. Everything works as plain links and forms; the script only
// detects the zone and tells an embedding page about a booking.
import { escapeHtml as esc } from '../lib/text.ts';
import { formatDayForPeople, formatForPeople, formatTimeForPeople } from '../lib/time-format.ts';
import type { PageStart } from './pages.answers.ts';
import { type Page, type PageContext, languageSwitch, link } from './pages.view.ts';

export interface DayStarts {
  date: string;
  starts: PageStart[];
}

export interface BookingPageView {
  path: string;
  hostName: string;
  title: string;
  description: string;
  durations: number[];
  duration: number;
  month: string;
  prevMonth: string | null;
  nextMonth: string | null;
  days: DayStarts[];
  date: string | null;
  start: PageStart | null;
  askPhone: boolean;
  allowGuests: boolean;
  /** The appointment being moved (seed 000 link), shown with its old time. */
  moving: { start: number } | null;
  notice: string | null;
  errors: string[];
  values: Record<string, string | undefined>;
  zones: string[];
}

export function bookingPage(ctx: PageContext, v: BookingPageView): Page {
  const s = ctx.s;
  const parts = [
    `<div class="top"><span class="muted">${esc(v.hostName)}</span>${languageSwitch(ctx, v.path, { date: v.date ?? undefined, month: v.month })}</div>`,
    `<h1>${esc(v.title)}</h1>`,
    v.description ? `<p>${esc(v.description)}</p>` : '',
    v.moving ? `<p class="notice">${esc(s.movingFrom(formatForPeople(v.moving.start, ctx.zone, ctx.lang)))}</p>` : '',
    v.notice ? `<p class="notice" role="alert">${esc(v.notice)}</p>` : '',
  ];
  if (v.start) parts.push(form(ctx, v, v.start));
  else parts.push(choices(ctx, v), calendar(ctx, v), times(ctx, v));
  return { status: v.notice ? 409 : 200, title: v.title, body: parts.join('\n') };
}

/** Zone and duration as one GET form: works without the script, which submits it on change. */
function choices(ctx: PageContext, v: BookingPageView): string {
  const s = ctx.s;
  const hidden = Object.entries(ctx.keep)
    .filter(([key]) => key !== 'tz' && key !== 'duration')
    .map(([key, value]) => `<input type="hidden" name="${esc(key)}" value="${esc(value)}">`)
    .join('');
  const zones = v.zones.map((z) => `<option${z === ctx.zone ? ' selected' : ''}>${esc(z)}</option>`).join('');
  const durations =
    v.durations.length > 1
      ? `<div><label for="duration">${esc(s.duration)}</label><select id="duration" name="duration" data-autosubmit>${v.durations
          .map((d) => `<option value="${d}"${d === v.duration ? ' selected' : ''}>${esc(s.minutes(d))}</option>`)
          .join('')}</select></div>`
      : '';
  return [
    `<form method="get" action="${esc(link(ctx, v.path, Object.fromEntries(Object.keys(ctx.keep).map((k) => [k, undefined]))))}" class="row" id="choices">`,
    hidden,
    `<div><label for="tz">${esc(s.zoneLabel)}</label><select id="tz" name="tz" data-autosubmit>${zones}</select></div>`,
    durations,
    `<button type="submit" class="secondary">${esc(s.apply)}</button>`,
    '</form>',
  ].join('');
}

const monthTitle = (month: string, lang: string) =>
  new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T12:00:00Z`),
  );

function calendar(ctx: PageContext, v: BookingPageView): string {
  const s = ctx.s;
  const [year, month] = v.month.split('-').map(Number) as [number, number];
  const first = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const free = new Set(v.days.filter((d) => d.starts.length > 0).map((d) => d.date));
  const cells: string[] = Array.from({ length: first }, () => '<td></td>');
  for (let day = 1; day <= length; day++) {
    const date = `${v.month}-${String(day).padStart(2, '0')}`;
    const label = `${formatDayForPeople(Date.parse(`${date}T12:00:00Z`), 'UTC', ctx.lang)}`;
    cells.push(
      free.has(date)
        ? `<td><a href="${esc(link(ctx, v.path, { month: v.month, date }))}#times" aria-label="${esc(`${label}, ${s.available}`)}"${
            date === v.date ? ' aria-current="date"' : ''
          }>${day}</a></td>`
        : `<td><span>${day}</span></td>`,
    );
  }
  while (cells.length % 7 !== 0) cells.push('<td></td>');
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(`<tr>${cells.slice(i, i + 7).join('')}</tr>`);
  const nav = (target: string | null, text: string, arrow: string) =>
    target ? `<a href="${esc(link(ctx, v.path, { month: target }))}" aria-label="${esc(text)}">${arrow}</a>` : '<span></span>';
  return [
    `<h2>${esc(s.chooseDay)}</h2>`,
    `<div class="nav">${nav(v.prevMonth, s.previousMonth, '←')}<strong id="month">${esc(monthTitle(v.month, ctx.lang))}</strong>${nav(v.nextMonth, s.nextMonth, '→')}</div>`,
    `<table class="cal" aria-labelledby="month"><thead><tr>${s.weekdays.map((d) => `<th scope="col">${d}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table>`,
    free.size === 0 ? `<p>${esc(s.noDays)}</p>` : '',
  ].join('\n');
}

function times(ctx: PageContext, v: BookingPageView): string {
  if (!v.date) return '';
  const s = ctx.s;
  const day = v.days.find((d) => d.date === v.date);
  const title = formatDayForPeople(Date.parse(`${v.date}T12:00:00Z`), 'UTC', ctx.lang);
  if (!day || day.starts.length === 0) return `<h2 id="times">${esc(title)}</h2><p>${esc(s.noTimes)}</p>`;
  const items = day.starts.map((start) => {
    const when = formatForPeople(start.at, ctx.zone, ctx.lang);
    const href = link(ctx, v.path, { month: v.month, date: v.date ?? undefined, start: start.value });
    // A group type's start says how many places are left (visible, and in the link's name).
    const left = start.spotsLeft === undefined ? '' : s.spotsLeft(start.spotsLeft);
    const name = left ? `${when}, ${left}` : when;
    // The space keeps the visible text ("10:00 2 spots left") inside the link's name (axe's
    // label-content-name-mismatch); the block span shows it on its own line anyway.
    const places = left ? ` <span class="spots">${esc(left)}</span>` : '';
    return `<li><a href="${esc(href)}" aria-label="${esc(name)}">${esc(formatTimeForPeople(start.at, ctx.zone, ctx.lang))}${places}</a></li>`;
  });
  return `<h2 id="times">${esc(s.chooseTime)}: ${esc(title)}</h2><p class="muted">${esc(s.timesIn)} ${esc(ctx.zone)}</p><ul class="times">${items.join('')}</ul>`;
}

function field(id: string, label: string, type: string, value: string, extra = ''): string {
  return `<label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}" value="${esc(value)}"${extra}>`;
}

function form(ctx: PageContext, v: BookingPageView, start: PageStart): string {
  const s = ctx.s;
  const hidden = { ...ctx.keep, tz: ctx.zone, start: start.value, duration: String(v.duration) };
  const inputs = Object.entries(hidden)
    .map(([key, value]) => `<input type="hidden" name="${esc(key)}" value="${esc(value)}">`)
    .join('');
  const optional = ` <span class="muted">${esc(s.optional)}</span>`;
  const errors = v.errors.length
    ? `<div class="errors" role="alert"><p>${esc(s.invalid)}</p><ul>${v.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></div>`
    : '';
  const person = v.moving
    ? ''
    : [
        field('name', esc(s.name), 'text', v.values.name ?? '', ' required autocomplete="name" maxlength="200"'),
        field('email', esc(s.email), 'email', v.values.email ?? '', ' required autocomplete="email" maxlength="254"'),
        v.askPhone ? field('phone', esc(s.phone), 'tel', v.values.phone ?? '', ' required autocomplete="tel" maxlength="50"') : '',
        v.allowGuests ? field('guests', esc(s.guests) + optional, 'text', v.values.guests ?? '', ' maxlength="1000"') : '',
        `<label for="notes">${esc(s.notes)}${optional}</label><textarea id="notes" name="notes" rows="3" maxlength="2000">${esc(v.values.notes ?? '')}</textarea>`,
      ].join('');
  const back = link(ctx, v.path, { month: v.month, date: v.date ?? undefined });
  return [
    `<h2>${esc(formatForPeople(start.at, ctx.zone, ctx.lang))}</h2>`,
    `<p class="muted">${esc(s.minutes(v.duration))} · ${esc(s.timesIn)} ${esc(ctx.zone)}${start.spotsLeft === undefined ? '' : ` · ${esc(s.spotsLeft(start.spotsLeft))}`}</p>`,
    errors,
    `<form method="post" action="${esc(link(ctx, v.path, Object.fromEntries(Object.keys(ctx.keep).map((k) => [k, undefined]))))}" id="book">`,
    inputs,
    v.moving ? '' : `<h2>${esc(s.yourDetails)}</h2>`,
    person,
    `<div class="actions"><button type="submit">${esc(v.moving ? s.move : s.book)}</button>`,
    `<a class="button secondary" href="${esc(back)}#times">${esc(s.change)}</a></div>`,
    '</form>',
  ].join('\n');
}

/** The visitor's zone is always offered, even when Intl lists it under another name. */
export function withZone(v: BookingPageView, zone: string): BookingPageView {
  return v.zones.includes(zone) ? v : { ...v, zones: [zone, ...v.zones] };
}
