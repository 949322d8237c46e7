import { expect } from '@jest/globals';
import { tag, type Page } from './dom.js';

/** Accessibility and self-containment rules every page must keep. */
export function expectAccessibleAndSelfContained(page: Page, html: string): void {
  expect(html).not.toMatch(/<script/i);
  const handlers = page.where((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name)));
  expect(handlers).toHaveLength(0); // no inline event handlers
  expect(html).not.toMatch(/@import|url\(/i); // the stylesheet loads nothing
  expect(page.all('link').filter((l) => l.getAttribute('rel') === 'stylesheet')).toHaveLength(0);

  expect(page.root.getAttribute('lang')).toMatch(/^[a-z]{2}$/);
  expect(page.all('meta').some((m) => m.getAttribute('name') === 'viewport')).toBe(true);
  expect(page.all('main')).toHaveLength(1);
  expect(page.all('header')).toHaveLength(1);
  expect(page.all('footer')).toHaveLength(1);

  // The skip link leads to the main landmark.
  const skip = page.all('a')[0];
  expect(skip?.getAttribute('href')).toBe('#main');
  expect(page.byId('main') && tag(page.byId('main')!)).toBe('main');

  // One h1, and no heading skips a level.
  const headings = page.where((e) => /^h[1-6]$/.test(tag(e))).map((e) => Number(tag(e).slice(1)));
  expect(headings[0]).toBe(1);
  expect(headings.filter((h) => h === 1)).toHaveLength(1);
  headings.forEach((level, i) => {
    if (i > 0) expect(level - (headings[i - 1] ?? 1)).toBeLessThanOrEqual(1);
  });

  // Every form control has a label; hidden inputs carry no user input.
  const controls = page.where((e) => ['input', 'textarea', 'select'].includes(tag(e)) && e.getAttribute('type') !== 'hidden');
  for (const control of controls) {
    const id = control.getAttribute('id');
    expect(id).toBeTruthy();
    const labels = page.all('label').filter((l) => l.getAttribute('for') === id);
    expect({ id, labelled: labels.length === 1 && page.text(labels[0]).length > 0 }).toEqual({ id, labelled: true });
  }
  for (const button of page.all('button')) expect(page.text(button).length).toBeGreaterThan(0);

  // Every image has a text alternative; every link has text.
  for (const img of page.all('img')) expect(img.getAttribute('alt')?.trim()).toBeTruthy();
  for (const a of page.all('a')) expect(page.text(a).length).toBeGreaterThan(0);

  // Ids are unique.
  const ids = page.where((e) => e.hasAttribute('id')).map((e) => e.getAttribute('id'));
  expect(new Set(ids).size).toBe(ids.length);

  // The language switcher: a labelled nav with one link per language, the current one marked.
  const nav = page.all('nav').find((n) => n.hasAttribute('aria-label'));
  expect(nav).toBeDefined();
  const current = page.all('a').filter((a) => a.getAttribute('aria-current') === 'true');
  expect(current).toHaveLength(1);
  expect(current[0]?.getAttribute('hreflang')).toBe(page.root.getAttribute('lang'));
  expect(page.all('a').filter((a) => /[?&]lang=[a-z]{2}$/.test(a.getAttribute('href') ?? ''))).toHaveLength(7);
}

/** Every URL the page points at: links, images, forms, and URL-valued metadata. */
export function urlsOf(page: Page): { hrefs: string[]; srcs: string[]; actions: string[]; meta: string[] } {
  const attr = (name: string) => page.where((e) => e.hasAttribute(name)).map((e) => e.getAttribute(name) ?? '');
  return {
    hrefs: attr('href'),
    srcs: attr('src'),
    actions: attr('action'),
    meta: page.all('meta').map((m) => m.getAttribute('content') ?? '').filter((c) => /^[a-z]+:/i.test(c)),
  };
}
