import { describe, expect, it } from '@jest/globals';
import { escapeHtml, html, raw, renderMarkdown, safeUrl } from '../../src/pages/html.js';
import { withLang } from '../../src/pages/layout.js';

describe('html', () => {
  it('escapes every interpolated value, in text and attributes', () => {
    const value = `<a href="x" onclick='y'>&</a>`;
    expect(html`<p title="${value}">${value}</p>`.value).toBe(
      '<p title="&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;">&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;</p>',
    );
    expect(escapeHtml('"\'<>&')).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('inserts SafeHtml and arrays as they are, and drops empty values', () => {
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${undefined}${false}${null}${raw('<br>')}`.value).toBe(
      '<ul><li>a</li><li>b</li></ul><br>',
    );
  });

  it('keeps only http(s) URLs', () => {
    expect(safeUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeUrl('http://example.org')).toBe('http://example.org/');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', '/relative', 'vbscript:x', 42, undefined]) {
      expect(safeUrl(bad)).toBeUndefined();
    }
  });
});

describe('renderMarkdown', () => {
  it('turns blank-line blocks into paragraphs and "- " lines into a list', () => {
    expect(renderMarkdown('First line\ncontinues.\n\n- one\n- two\n\n1. a\n2. b\n\nEnd').value).toBe(
      '<p>First line continues.</p><ul><li>one</li><li>two</li></ul><ol><li>a</li><li>b</li></ol><p>End</p>',
    );
  });

  it('shows raw HTML as text and drops emphasis markers', () => {
    expect(renderMarkdown('<b onclick="x()">**bold**</b> [site](https://e.org)').value).toBe(
      '<p>&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt; site (https://e.org)</p>',
    );
    expect(renderMarkdown('# Title\r\n* item').value).toBe('<p><strong>Title</strong></p><ul><li>item</li></ul>');
  });
});

describe('withLang', () => {
  it('sets the lang parameter and keeps the rest of the query and the fragment', () => {
    expect(withLang('/verify', 'it')).toBe('/verify?lang=it');
    expect(withLang('/verify?lang=de', 'fr')).toBe('/verify?lang=fr');
    expect(withLang('https://x.org/c/1?email=a%40b.org#top', 'lt')).toBe('https://x.org/c/1?email=a%40b.org&lang=lt#top');
  });
});
