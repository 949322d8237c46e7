import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
import { bakeSvg, unbakeSvg, BakingError, OB3_SVG_NAMESPACE } from '../../src/baking/index.js';
import type { BakingErrorCode } from '../../src/baking/index.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const credentialJson = read('../fixtures/ob3-spec/ob3-spec-test-vector-signed.json');
const badgeSvg = read('../fixtures/baking/badge.svg');
const jws = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5Ono2TWsifQ.c2lnbmF0dXJlLW5vdC12ZXJpZmllZC1oZXJl';
const SVG_NS = 'http://www.w3.org/2000/svg';

const CDATA_SECTION_NODE = 4;
const ELEMENT_NODE = 1;

function parse(xml: string): Document {
  return new DOMParser({ onError: (level, message) => { if (level !== 'warning') throw new Error(message); } }).parseFromString(xml, 'image/svg+xml');
}

function credentialsIn(xml: string): Element[] {
  return Array.from(parse(xml).getElementsByTagNameNS(OB3_SVG_NAMESPACE, 'credential'));
}

function codeOf(fn: () => unknown): BakingErrorCode | 'no error' | 'not a BakingError' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof BakingError ? e.code : 'not a BakingError';
  }
}

describe('bakeSvg', () => {
  it('puts the credential JSON in a CDATA section of openbadges:credential, directly after the <svg> start tag', () => {
    const baked = bakeSvg(badgeSvg, { json: credentialJson });
    const root = parse(baked).documentElement!;
    expect(root.getAttribute('xmlns:openbadges')).toBe(OB3_SVG_NAMESPACE);

    const first = root.firstChild as Element;
    expect(first.nodeType).toBe(ELEMENT_NODE);
    expect(first.nodeName).toBe('openbadges:credential');
    expect(first.namespaceURI).toBe(OB3_SVG_NAMESPACE);
    expect(first.hasAttribute('verify')).toBe(false);
    const children = Array.from(first.childNodes);
    expect(children.map((n) => n.nodeType)).toEqual([CDATA_SECTION_NODE]);
    expect(first.textContent).toBe(credentialJson);
    expect(credentialsIn(baked)).toHaveLength(1);
  });

  it('puts a compact JWS in the verify attribute of an empty openbadges:credential element', () => {
    const baked = bakeSvg(badgeSvg, { jws });
    const first = parse(baked).documentElement!.firstChild as Element;
    expect(first.namespaceURI).toBe(OB3_SVG_NAMESPACE);
    expect(first.getAttribute('verify')).toBe(jws);
    expect(first.childNodes.length).toBe(0);
    expect(unbakeSvg(baked)).toEqual({ jws });
  });

  it('keeps the rest of the document as it was', () => {
    const withProlog = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n${badgeSvg}`;
    const baked = bakeSvg(withProlog, { json: credentialJson });
    expect(baked.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n<svg ')).toBe(true);
    const document = parse(baked);
    const root = document.documentElement!;
    root.removeChild(root.firstChild!);
    root.removeAttribute('xmlns:openbadges');
    const serialize = (d: Document) => new XMLSerializer().serializeToString(d);
    expect(serialize(document)).toBe(serialize(parse(withProlog)));
  });

  it('replaces the credential when re-baking, never adding a second one', () => {
    const rebaked = bakeSvg(bakeSvg(badgeSvg, { json: credentialJson }), { jws });
    expect(credentialsIn(rebaked)).toHaveLength(1);
    expect(unbakeSvg(rebaked)).toEqual({ jws });
    expect(rebaked.match(/xmlns:openbadges=/g)).toHaveLength(1);
  });

  it('replaces credential elements wherever they sit and whatever their prefix', () => {
    const two = badgeSvg.replace('</svg>', `<ob:credential xmlns:ob="${OB3_SVG_NAMESPACE}">{}</ob:credential><g><ob:credential xmlns:ob="${OB3_SVG_NAMESPACE}" verify="a.b.c"/></g></svg>`);
    expect(credentialsIn(two)).toHaveLength(2);
    const baked = bakeSvg(two, { jws });
    expect(credentialsIn(baked)).toHaveLength(1);
    expect(unbakeSvg(baked)).toEqual({ jws });
  });

  it('splits CDATA so that JSON containing "]]>" round-trips exactly', () => {
    const json = JSON.stringify({ ...JSON.parse(credentialJson), description: 'ends a CDATA section: ]]> and again ]]>]]>' });
    const baked = bakeSvg(badgeSvg, { json });
    const first = parse(baked).documentElement!.firstChild as Element;
    expect(first.childNodes.length).toBeGreaterThan(1);
    expect(Array.from(first.childNodes).every((n) => n.nodeType === CDATA_SECTION_NODE)).toBe(true);
    expect(first.textContent).toBe(json);
    expect(unbakeSvg(baked)).toEqual({ json });
  });

  it('keeps non-ASCII text intact', () => {
    const json = JSON.stringify({ ...JSON.parse(credentialJson), name: 'Pflege – Übung ✓ 介護 🩺 <&>' });
    expect(unbakeSvg(bakeSvg(badgeSvg, { json }))).toEqual({ json });
  });

  it('leaves an SVG that still renders with the same size', async () => {
    const baked = bakeSvg(badgeSvg, { json: credentialJson });
    const rendered = await sharp(Buffer.from(baked)).png().toBuffer();
    expect(await sharp(rendered).metadata()).toMatchObject({ format: 'png', width: 400, height: 400 });
    await expect(sharp(rendered).raw().toBuffer()).resolves.toEqual(await sharp(Buffer.from(badgeSvg)).png().raw().toBuffer());
  });

  it('rejects documents that are not SVG with not_svg', () => {
    for (const notSvg of [
      '',
      'not xml at all',
      '{"@context": []}',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
      '<svg viewBox="0 0 1 1"></svg>', // no SVG namespace
      '<html xmlns="http://www.w3.org/1999/xhtml"><svg xmlns="http://www.w3.org/2000/svg"/></html>',
    ]) {
      expect([notSvg, codeOf(() => bakeSvg(notSvg, { jws }))]).toEqual([notSvg, 'not_svg']);
      expect([notSvg, codeOf(() => unbakeSvg(notSvg))]).toEqual([notSvg, 'not_svg']);
    }
  });

  it('rejects a payload that is not what it claims to be with invalid_payload', () => {
    expect(codeOf(() => bakeSvg(badgeSvg, { jws: credentialJson }))).toBe('invalid_payload');
    expect(codeOf(() => bakeSvg(badgeSvg, { json: jws }))).toBe('invalid_payload');
    expect(codeOf(() => bakeSvg(badgeSvg, { json: '{"name":"\uFFFF"}' }))).toBe('invalid_payload');
  });

  it('refuses to rebind an openbadges prefix that an OB 2.0 badge binds to another namespace', () => {
    const ob2 = `<svg xmlns="${SVG_NS}" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a/1"/></svg>`;
    expect(codeOf(() => bakeSvg(ob2, { jws }))).toBe('invalid_image');
  });
});

describe('unbakeSvg', () => {
  it('returns undefined for an SVG without a credential', () => {
    expect(unbakeSvg(badgeSvg)).toBeUndefined();
  });

  it('ignores an OB 2.0 openbadges:assertion', () => {
    const ob2 = `<svg xmlns="${SVG_NS}" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a/1"/></svg>`;
    expect(unbakeSvg(ob2)).toBeUndefined();
  });

  it('rejects an SVG with two credential elements with multiple_credentials', () => {
    const baked = bakeSvg(badgeSvg, { json: credentialJson });
    const two = baked.replace('</svg>', `<openbadges:credential verify="${jws}"/></svg>`);
    expect(credentialsIn(two)).toHaveLength(2);
    expect(codeOf(() => unbakeSvg(two))).toBe('multiple_credentials');
  });

  it('reads 1EdTech\'s baked JSON fixture, which has a DOCTYPE and indented CDATA', () => {
    const found = unbakeSvg(read('../fixtures/baking/simple-json.svg'));
    expect(found && 'json' in found).toBe(true);
    const json = (found as { json: string }).json;
    expect(json.startsWith('{') && json.endsWith('}')).toBe(true);
    expect(JSON.parse(json)).toMatchObject({ id: 'http://example.edu/credentials/3732', type: ['VerifiableCredential', 'OpenBadgeCredential'] });
  });

  it('reads 1EdTech\'s baked VC-JWT fixture from the verify attribute', () => {
    const found = unbakeSvg(read('../fixtures/baking/simple-jwt.svg'));
    expect(found).toEqual({ jws: expect.stringMatching(/^eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9\.[\w-]+\.[\w-]+$/) });
  });

  it('does not expand entities declared in a DOCTYPE', () => {
    const external = `<!DOCTYPE svg [<!ENTITY leak SYSTEM "file:///etc/passwd">]><svg xmlns="${SVG_NS}" xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>&leak;</openbadges:credential></svg>`;
    expect(codeOf(() => unbakeSvg(external))).toBe('not_svg');
    const laughs = `<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="${SVG_NS}" xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>&b;</openbadges:credential></svg>`;
    expect(codeOf(() => unbakeSvg(laughs))).toBe('not_svg');
  });

  it('rejects an empty credential element with invalid_image', () => {
    const empty = `<svg xmlns="${SVG_NS}" xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>  </openbadges:credential></svg>`;
    expect(codeOf(() => unbakeSvg(empty))).toBe('invalid_image');
  });
});
