// A small namespace-aware XML reader for WebDAV multistatus answers (RFC 4918), enough for what
// CalDAV servers send: elements, attributes, text, CDATA, the five predefined entities and numeric
// character references. No DTDs (refused), no external anything. Pure.

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  /** Local name. */
  name: string;
  /** Attributes by their name as written (namespace declarations included). */
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CALSERVER = 'http://calendarserver.org/ns/';
export const APPLE_ICAL = 'http://apple.com/ns/ical/';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref] ?? whole;
  });
}

const TOKEN = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!([^>]*)>|<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Open {
  element: XmlElement;
  prefix: string;
  scopes: Map<string, string>;
}

/** Parses a document into its root element; throws on malformed or DTD-carrying input. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { ns: '', name: '#document', attributes: {}, children: [], text: '' };
  const stack: Open[] = [{ element: root, prefix: '', scopes: new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]) }];
  for (const match of source.matchAll(TOKEN)) {
    const [, cdata, declaration, closing, tag, attributes, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (cdata !== undefined) top.element.text += cdata;
    else if (declaration !== undefined) throw new Error('XML declarations (DTDs) are not accepted');
    else if (text !== undefined) top.element.text += decode(text);
    else if (tag !== undefined && closing === '/') {
      if (stack.length === 1 || top.prefix !== tag) throw new Error(`unexpected </${tag}>`);
      stack.pop();
    } else if (tag !== undefined) {
      const scopes = new Map(top.scopes);
      const attrs: Record<string, string> = {};
      for (const [, key, double, single] of (attributes ?? '').matchAll(ATTRIBUTE)) {
        const value = decode(double ?? single ?? '');
        attrs[key!] = value;
        if (key === 'xmlns') scopes.set('', value);
        else if (key!.startsWith('xmlns:')) scopes.set(key!.slice(6), value);
      }
      const colon = tag.indexOf(':');
      const prefix = colon < 0 ? '' : tag.slice(0, colon);
      const element: XmlElement = { ns: scopes.get(prefix) ?? '', name: colon < 0 ? tag : tag.slice(colon + 1), attributes: attrs, children: [], text: '' };
      top.element.children.push(element);
      if (selfClosing !== '/') stack.push({ element, prefix: tag, scopes });
    }
  }
  if (stack.length !== 1) throw new Error('XML document is not closed');
  const first = root.children[0];
  if (!first) throw new Error('XML document is empty');
  return first;
}

export function child(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.ns === ns && c.name === name);
}

export function children(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element?.children.filter((c) => c.ns === ns && c.name === name) ?? [];
}

/** The first descendant (depth first) with this name. */
export function find(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const c of element.children) {
    if (c.ns === ns && c.name === name) return c;
    const deeper = find(c, ns, name);
    if (deeper) return deeper;
  }
  return undefined;
}

export function textOf(element: XmlElement | undefined): string | undefined {
  const text = element?.text.trim();
  return text ? text : undefined;
}
