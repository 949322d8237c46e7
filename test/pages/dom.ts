import { DOMParser } from '@xmldom/xmldom';

/** Minimal DOM helpers over xmldom's HTML parser (it has no querySelector). */
export type El = {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  attributes: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<El & { nodeType: number }>;
};

export interface Page {
  root: El;
  all(tag: string): El[];
  /** Elements, in document order, that match the predicate. */
  where(predicate: (el: El) => boolean): El[];
  byId(id: string): El | undefined;
  text(el?: El): string;
}

export function parse(html: string): Page {
  const doc = new DOMParser().parseFromString(html, 'text/html') as unknown as { documentElement: El };
  const root = doc.documentElement;
  const elements: El[] = [];
  const walk = (node: El & { nodeType?: number }) => {
    if (node.nodeType === 1) elements.push(node);
    for (const child of Array.from(node.childNodes ?? [])) walk(child);
  };
  walk(root as El & { nodeType: number });
  const body = elements.find((e) => e.tagName.toLowerCase() === 'body') ?? root;
  const text = (el: El = body) => textOf(el).replace(/\s+/g, ' ').trim();
  return {
    root,
    all: (tag) => elements.filter((e) => e.tagName.toLowerCase() === tag),
    where: (predicate) => elements.filter(predicate),
    byId: (id) => elements.find((e) => e.getAttribute('id') === id),
    text,
  };
}

export const tag = (el: El): string => el.tagName.toLowerCase();

const BLOCKS = new Set('address article aside caption dd details div dl dt footer form h1 h2 h3 h4 h5 h6 header li main nav ol p section summary table tbody td th thead tr ul'.split(' '));

/** Text as a reader sees it: block elements are separated by spaces, inline ones are not; styles are skipped. */
function textOf(node: El & { nodeType?: number; nodeValue?: string | null }): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1) return '';
  const name = node.tagName.toLowerCase();
  if (name === 'style') return '';
  const inner = Array.from(node.childNodes).map((c) => textOf(c)).join('');
  return BLOCKS.has(name) ? ` ${inner} ` : inner;
}
