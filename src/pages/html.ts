/**
 * HTML is built with the `html` tagged template, which escapes every interpolated value unless it
 * is already `SafeHtml`. Page code therefore never concatenates untrusted text into markup: a
 * credential is attacker-controlled input on the verify page.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values alike. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const render = (value: HtmlValue): string => {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
};

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup that is already safe (built by `html`, or a constant). */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/** Only http(s) URLs become links or image sources: never `javascript:`, `data:` or relative tricks. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A small, safe subset of Markdown for narratives: blank lines separate paragraphs, lines starting
 * with "- " or "* " make a bulleted list, "1. " a numbered one, "# " a heading-like strong line.
 * Everything else is plain, escaped text; raw HTML in the source is shown as text.
 */
export function renderMarkdown(source: string): SafeHtml {
  const blocks: SafeHtml[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;

  const flushParagraph = () => {
    if (paragraph.length) blocks.push(html`<p>${stripInline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (!list) return;
    const items = list.items.map((item) => html`<li>${stripInline(item)}</li>`);
    blocks.push(list.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`);
    list = undefined;
  };

  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const text = line.trim();
    const bullet = /^[-*+]\s+(.*)$/.exec(text);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(text);
    const heading = /^#{1,6}\s+(.*)$/.exec(text);
    if (text === '') {
      flushParagraph();
      flushList();
    } else if (bullet || numbered) {
      flushParagraph();
      const ordered = !bullet;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push((bullet ?? numbered)?.[1] ?? '');
    } else if (heading) {
      flushParagraph();
      flushList();
      blocks.push(html`<p><strong>${stripInline(heading[1] ?? '')}</strong></p>`);
    } else if (list && /^\s{2,}/.test(line)) {
      // An indented line continues the previous list item.
      const last = list.items.length - 1;
      list.items[last] = `${list.items[last] ?? ''} ${text}`;
    } else {
      flushList();
      paragraph.push(text);
    }
  }
  flushParagraph();
  flushList();
  return html`${blocks}`;
}

/** Drops emphasis markers and turns `[text](url)` into "text (url)", so plain text reads naturally. */
const stripInline = (text: string): string =>
  text
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1');
