// Runs the inline script of a served self-service page (as served, taken from its HTML) against a
// tiny stand-in for the DOM, with `fetch` answered by the application itself through inject. So
// a test clicks the page's buttons and the page's own code makes the POST — no browser here.
import vm from 'node:vm';
import type { TestApp } from './app.ts';

const decodeEntities = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)="([^"]*)"/g)) attributes[name!] = decodeEntities(value!);
  return attributes;
}

type Listener = (event: unknown) => void;

interface FakeElement {
  attributes: Record<string, string>;
  dataset: Record<string, string>;
  hidden: boolean;
  disabled: boolean;
  textContent: string;
  value: string;
  focused: boolean;
  addEventListener(type: string, listener: Listener): void;
  fire(type: string, event: unknown): void;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelectorAll(): FakeElement[];
  querySelector(): FakeElement | null;
  closest(): FakeElement;
  focus(): void;
}

function element(attributes: Record<string, string> = {}, children: FakeElement[] = []): FakeElement {
  const listeners = new Map<string, Listener>();
  const dataset = Object.fromEntries(
    Object.entries(attributes)
      .filter(([name]) => name.startsWith('data-'))
      .map(([name, value]) => [name.slice(5), value]),
  );
  const self: FakeElement = {
    attributes,
    dataset,
    hidden: false,
    disabled: false,
    textContent: '',
    value: '',
    focused: false,
    addEventListener: (type: string, listener: Listener) => {
      listeners.set(type, listener);
    },
    fire: (type: string, event: unknown) => listeners.get(type)?.(event),
    setAttribute: (name: string, value: string) => {
      attributes[name] = value;
    },
    getAttribute: (name: string) => attributes[name] ?? null,
    hasAttribute: (name: string) => name in attributes,
    querySelectorAll: () => children,
    querySelector: () => children[0] ?? null,
    closest: () => self,
    focus: () => {
      self.focused = true;
    },
  };
  return self;
}

export interface PagePost {
  url: string;
  body: Record<string, unknown>;
  status: number;
  /** What the server answered (the page's script reads only the status). */
  answer: Record<string, unknown>;
}

/** Loads a page at `path` (its HTML already fetched) and returns handles to act on it. */
export function runPage(t: TestApp, html: string, path: string) {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!script) throw new Error('the page has no script');
  const main = element(attributesOf(/<main([^>]*)>/.exec(html)![1]!));
  const status = element();
  const buttons = [...html.matchAll(/<button type="button"([^>]*)>/g)].map((m) => element(attributesOf(m[1]!)));
  const textarea = element();
  const byId: Record<string, FakeElement | null> = {
    status,
    'cancel-form': html.includes('id="cancel-form"') ? element({}, [textarea]) : null,
    starts: html.includes('id="starts"') ? element({}, buttons) : null,
  };
  const posts: PagePost[] = [];
  let pending: Promise<unknown> = Promise.resolve();
  const fetch = (url: string, init: { method: string; body: string }) => {
    const call = t.app
      .inject({ method: init.method as 'POST', url, payload: init.body, headers: { 'content-type': 'application/json' } })
      .then((res) => {
        posts.push({ url, body: JSON.parse(init.body), status: res.statusCode, answer: res.json() });
        return { status: res.statusCode };
      });
    pending = call;
    return call;
  };
  const document = { querySelector: () => main, getElementById: (id: string) => byId[id] ?? null };
  vm.runInNewContext(script, { document, location: new URL(`http://termin.test${path}`), fetch, URL });
  const settle = async () => {
    await pending;
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    posts,
    status: () => status.textContent,
    statusFocused: () => status.focused,
    hidden: (id: 'cancel-form' | 'starts') => byId[id]?.hidden ?? true,
    disabled: (value: string) => buttons.find((b) => b.attributes['data-start'] === value)?.disabled,
    async clickStart(value: string) {
      const button = buttons.find((b) => b.attributes['data-start'] === value);
      if (!button) throw new Error(`no button for ${value}`);
      byId.starts!.fire('click', { target: button });
      await settle();
    },
    async submitCancel(reason: string) {
      textarea.value = reason;
      byId['cancel-form']!.fire('submit', { preventDefault() {} });
      await settle();
    },
  };
}
