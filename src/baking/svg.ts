import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
import { BakingError } from './errors.js';
import { assertCompactJws, assertCredentialJson } from './payload.js';

/** OB 3.0 §5.3.2: the namespace of the `<openbadges:credential>` element. */
export const OB3_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
const PREFIX = 'openbadges';

/** Embedded proof ⇒ credential JSON in CDATA; VC-JWT ⇒ compact JWS in the `verify` attribute. */
export type SvgCredential = { json: string } | { jws: string };

/**
 * Bakes a credential into an SVG (OB 3.0 §5.3.2): declares `xmlns:openbadges` on `<svg>` and inserts
 * `<openbadges:credential>` as its first child. Any credential already baked in is removed first, so the result
 * holds exactly one. The rest of the document is kept as it was.
 */
export function bakeSvg(svg: string, payload: SvgCredential): string {
  const document = parseSvg(svg);
  const root = document.documentElement as Element;
  const element = document.createElementNS(OB3_SVG_NAMESPACE, `${PREFIX}:credential`);
  if ('jws' in payload) {
    assertCompactJws(payload.jws);
    element.setAttribute('verify', payload.jws);
  } else {
    assertCredentialJson(payload.json);
    assertXmlText(payload.json);
    for (const part of splitForCdata(payload.json)) element.appendChild(document.createCDATASection(part));
  }

  for (const old of credentialElements(document)) old.parentNode?.removeChild(old);
  const declared = root.getAttributeNS(XMLNS_NAMESPACE, PREFIX);
  if (declared !== null && declared !== OB3_SVG_NAMESPACE) {
    // An OB 2.0 badge binds the same prefix to http://openbadges.org; we will not guess which one to keep.
    throw new BakingError('invalid_image', `the SVG already binds the "${PREFIX}" prefix to ${declared}, not to ${OB3_SVG_NAMESPACE}`);
  }
  root.setAttributeNS(XMLNS_NAMESPACE, `xmlns:${PREFIX}`, OB3_SVG_NAMESPACE);
  root.insertBefore(element, root.firstChild);

  // Not `requireWellFormed`: xmldom keeps the XML declaration as a processing instruction named "xml" and that
  // option rejects it. The document was well-formed when parsed and what we add is checked above.
  return new XMLSerializer().serializeToString(document);
}

/**
 * Reads the credential baked into an SVG: the `credential` element in the OB 3.0 namespace, whatever its prefix
 * and wherever it sits. Returns undefined when there is none.
 */
export function unbakeSvg(svg: string): SvgCredential | undefined {
  const found = credentialElements(parseSvg(svg));
  // OB 3.0 §5.3.2: exactly one credential element; with two we could not tell which one is meant.
  if (found.length > 1) {
    throw new BakingError('multiple_credentials', `the SVG holds ${found.length} <${PREFIX}:credential> elements; a baked badge holds exactly one`);
  }
  const element = found[0];
  if (element === undefined) return undefined;
  if (element.hasAttribute('verify')) {
    const jws = (element.getAttribute('verify') ?? '').trim();
    if (jws === '') throw new BakingError('invalid_image', `the "verify" attribute of <${PREFIX}:credential> is empty`);
    return { jws };
  }
  // Whitespace around the CDATA section (1EdTech's fixtures indent it) is not part of the JSON.
  const json = (element.textContent ?? '').trim();
  if (json === '') throw new BakingError('invalid_image', `the <${PREFIX}:credential> element is empty`);
  return { json };
}

/**
 * Parses without resolving anything: xmldom never fetches external DTDs or entities and expands only the
 * five predefined entities and character references; a reference to any other entity is an error here.
 */
function parseSvg(svg: string): Document {
  let document: Document;
  try {
    document = new DOMParser({
      locator: false,
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(svg, 'application/xml');
  } catch (cause) {
    throw new BakingError('not_svg', 'the file is not an SVG image (it is not well-formed XML)', { cause });
  }
  const root = document.documentElement;
  if (!root || root.localName !== 'svg' || root.namespaceURI !== SVG_NAMESPACE) {
    throw new BakingError('not_svg', `the file is not an SVG image (its root element is not <svg> in the ${SVG_NAMESPACE} namespace)`);
  }
  return document;
}

function credentialElements(document: Document): Element[] {
  return Array.from(document.getElementsByTagNameNS(OB3_SVG_NAMESPACE, 'credential'));
}

/** A CDATA section ends at the first `]]>`, so the JSON is split between `]]` and `>` across adjacent sections. */
function splitForCdata(text: string): string[] {
  const parts = text.split(']]>');
  return parts.map((part, i) => (i > 0 ? '>' : '') + part + (i < parts.length - 1 ? ']]' : ''));
}

/** XML 1.0 §2.2 Char: some characters JSON allows unescaped (U+FFFE, U+FFFF, lone surrogates) cannot appear in XML. */
function assertXmlText(text: string): void {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text)) {
    throw new BakingError('invalid_payload', 'the credential JSON contains characters that XML cannot carry; escape them as \\u sequences');
  }
}
