import type { Language } from '../badge-classes/schema.js';
import { html, type SafeHtml } from './html.js';
import { renderLayout } from './layout.js';

/**
 * The API reference: an OpenAPI 3.1 document as a server-rendered page, operations grouped by tag.
 * The page chrome follows the reader's language; the reference itself is in English (`lang="en"`).
 * It reads the document only, so it shows what /openapi.json says and nothing else.
 */

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
/** Nested schemas are outlined this deep; the example and the document have the rest. */
const MAX_DEPTH = 4;
const MAX_ENUM = 12;

export interface ApiOperation {
  method: (typeof METHODS)[number];
  path: string;
  operation: Json;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Every operation of the document, in document order. */
export function operationsOf(document: object): ApiOperation[] {
  const { paths: value } = document as Json;
  const paths = isObject(value) ? value : {};
  return Object.entries(paths).flatMap(([path, item]) =>
    isObject(item) ? METHODS.filter((m) => isObject(item[m])).map((method) => ({ method, path, operation: item[method] as Json })) : [],
  );
}

/** The anchor of an operation on the page: its operationId, or one made of method and path. */
export const anchorOf = ({ method, path, operation }: ApiOperation): string =>
  str(operation.operationId) ?? `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** `code` spans in descriptions become <code>; everything else is escaped text. */
function inline(text: string | undefined): SafeHtml {
  if (!text) return html``;
  return html`${text.split(/(`[^`]+`)/).map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? html`<code style="${WRAP}">${part.slice(1, -1)}</code>` : part))}`;
}

/** `#/components/schemas/Name` → the schema and its name; other values as they are. */
function resolve(document: Json, value: unknown): { schema: Json; name?: string } {
  if (isObject(value) && typeof value.$ref === 'string' && value.$ref.startsWith('#/')) {
    const target = value.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
    const name = value.$ref.split('/').pop();
    return { schema: isObject(target) ? target : {}, ...(name ? { name } : {}) };
  }
  return { schema: isObject(value) ? value : {} };
}

/** A short type label: `string (uri)`, `array of Evidence`, `one of "a", "b"`, `integer, 1–200`. */
function typeLabel(document: Json, value: unknown): string {
  const { schema, name } = resolve(document, value);
  if (name) return name;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.slice(0, MAX_ENUM).map((v) => JSON.stringify(v));
    return `one of ${values.join(', ')}${schema.enum.length > MAX_ENUM ? `, … (${schema.enum.length} in all)` : ''}`;
  }
  const alternatives = asArray(schema.anyOf ?? schema.oneOf);
  if (alternatives.length) return alternatives.map((a) => typeLabel(document, a)).join(' or ');
  const types = Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.includes('array')) {
    const items = schema.items === undefined ? 'anything' : typeLabel(document, schema.items);
    return `array of ${items}${types.includes('null') ? ' or null' : ''}`;
  }
  const facts: string[] = [];
  if (typeof schema.format === 'string') facts.push(schema.format);
  if (typeof schema.contentMediaType === 'string') facts.push(schema.contentMediaType);
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') facts.push(`${String(schema.minimum ?? '')}–${String(schema.maximum ?? '')}`);
  if (typeof schema.maxLength === 'number') facts.push(`at most ${schema.maxLength} characters`);
  if (schema.default !== undefined) facts.push(`default ${JSON.stringify(schema.default)}`);
  const base = types.length ? types.join(' or ') : isObject(schema.properties) ? 'object' : 'any';
  return facts.length ? `${base} (${facts.join(', ')})` : base;
}

/** The object schema (or object items of an array) whose properties are worth listing. */
function objectOf(document: Json, value: unknown): { schema: Json; name?: string } | undefined {
  const resolved = resolve(document, value);
  if (isObject(resolved.schema.properties)) return resolved;
  if (isObject(resolved.schema.items)) return objectOf(document, resolved.schema.items);
  return undefined;
}

/** The properties of a schema as a nested list: name, type, required, description. */
function outline(document: Json, value: unknown, depth = 0, seen: ReadonlySet<string> = new Set()): SafeHtml {
  const target = objectOf(document, value);
  const alternatives = asArray(resolve(document, value).schema.anyOf);
  if (!target && alternatives.some((a) => objectOf(document, a)) && depth < MAX_DEPTH) {
    return html`<ul>${alternatives.map((a) => {
      const { schema, name } = resolve(document, a);
      return html`<li>${name ?? typeLabel(document, a)}${str(schema.description) ? html`: ${inline(str(schema.description))}` : ''}${outline(document, a, depth + 1, seen)}</li>`;
    })}</ul>`;
  }
  if (!target || depth >= MAX_DEPTH || (target.name && seen.has(target.name))) return html``;
  const inner = target.name ? new Set([...seen, target.name]) : seen;
  const required = new Set(asArray(target.schema.required).map(String));
  const properties = Object.entries(target.schema.properties as Json);
  return html`<ul>${properties.map(([name, property]) => {
    const described = str(resolve(document, property).schema.description) ?? str(isObject(property) ? property.description : undefined);
    return html`<li><code>${name}</code> <span class="muted">${typeLabel(document, property)}${required.has(name) ? ', required' : ''}</span>${described ? html` — ${inline(described)}` : ''}${outline(document, property, depth + 1, inner)}</li>`;
  })}</ul>`;
}

/** The example a media type gives, or the first its schema gives. */
function exampleOf(document: Json, media: Json): unknown {
  if (media.example !== undefined) return media.example;
  const named = isObject(media.examples) ? Object.values(media.examples).find(isObject) : undefined;
  if (named && named.value !== undefined) return named.value;
  const examples = resolve(document, media.schema).schema.examples;
  return Array.isArray(examples) ? examples[0] : undefined;
}

/** Long tokens (paths, ids, keys) break anywhere rather than widen the page on a phone. */
const WRAP = 'overflow-wrap:anywhere';
const PRE = 'white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.7rem;font-size:.85rem;margin:.4rem 0 .8rem';

function exampleBlock(example: unknown, label: string): SafeHtml {
  if (example === undefined) return html``;
  const text = typeof example === 'string' ? example : JSON.stringify(example, null, 2);
  return html`<details><summary>${label}</summary><pre style="${PRE}"><code>${text}</code></pre></details>`;
}

function parametersTable(document: Json, operation: Json, title: string): SafeHtml {
  const parameters = asArray(operation.parameters).map((p) => resolve(document, p).schema);
  if (!parameters.length) return html``;
  return html`<h4>Parameters</h4>
<table class="stack-table">
<caption class="visually-hidden">Parameters of ${title}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead>
<tbody>${parameters.map((p) => {
    const schema = resolve(document, p.schema).schema;
    const example = p.example ?? (Array.isArray(schema.examples) ? schema.examples[0] : undefined);
    return html`<tr><th scope="row"><code>${str(p.name)}</code>${p.required === true ? html` <span class="muted">(required)</span>` : ''}</th><td data-label="In">${str(p.in)}</td><td data-label="Type">${typeLabel(document, p.schema)}</td><td data-label="Description">${inline(str(p.description) ?? str(schema.description))}${example !== undefined ? html` Example: <code style="${WRAP}">${String(example)}</code>.` : ''}</td></tr>`;
  })}</tbody>
</table>`;
}

function requestBodySection(document: Json, operation: Json): SafeHtml {
  const body = resolve(document, operation.requestBody).schema;
  if (!isObject(body.content)) return html``;
  const content = Object.entries(body.content).filter((entry): entry is [string, Json] => isObject(entry[1]));
  return html`<h4>Request body${body.required === true ? '' : ' (optional)'}</h4>
${str(body.description) ? html`<p>${inline(str(body.description))}</p>` : ''}
<ul>${content.map(([type, media]) => {
    const label = media.schema === undefined ? 'bytes' : typeLabel(document, media.schema);
    return html`<li><code>${type}</code> <span class="muted">${label}</span>${outline(document, media.schema)}${exampleBlock(exampleOf(document, media), `Example (${type})`)}</li>`;
  })}</ul>`;
}

function responsesSection(document: Json, operation: Json, title: string): SafeHtml {
  const responses = Object.entries(isObject(operation.responses) ? operation.responses : {}).map(([status, r]) => ({ status, response: resolve(document, r).schema }));
  const typesOf = (response: Json) => (isObject(response.content) ? Object.keys(response.content) : []);
  const successes = responses.filter((r) => r.status.startsWith('2'));
  return html`<h4>Responses</h4>
<table class="stack-table">
<caption class="visually-hidden">Responses of ${title}</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Description</th><th scope="col">Content types</th></tr></thead>
<tbody>${responses.map(
    ({ status, response }) =>
      html`<tr><th scope="row" class="code">${status}</th><td data-label="Description">${inline(str(response.description))}</td><td data-label="Content types">${typesOf(response).map((t, i) => html`${i ? ', ' : ''}<code>${t}</code>`)}</td></tr>`,
  )}</tbody>
</table>
${successes.map(({ status, response }) => {
    const content = Object.entries(isObject(response.content) ? response.content : {}).filter((e): e is [string, Json] => isObject(e[1]) && e[1].schema !== undefined);
    // Media types that share a schema (a credential as JSON-LD, JSON, VC JSON-LD) are outlined once.
    const bySchema = new Map<string, Array<[string, Json]>>();
    for (const entry of content) {
      const key = JSON.stringify(entry[1].schema);
      bySchema.set(key, [...(bySchema.get(key) ?? []), entry]);
    }
    const shown = [...bySchema.values()].filter((group) => objectOf(document, group[0]![1].schema) || group.some(([, media]) => exampleOf(document, media) !== undefined));
    const headers = Object.entries(isObject(response.headers) ? response.headers : {});
    if (!shown.length && !headers.length) return '';
    return html`<p><strong>${status}</strong>:</p>
${headers.length ? html`<p>Headers: ${headers.map(([name], i) => html`${i ? ', ' : ''}<code>${name}</code>`)}</p>` : ''}
<ul>${shown.map((group) => {
      const [type, media] = group[0]!;
      const example = group.map(([, m]) => exampleOf(document, m)).find((e) => e !== undefined);
      return html`<li>${group.map(([t], i) => html`${i ? ', ' : ''}<code>${t}</code>`)} <span class="muted">${typeLabel(document, media.schema)}</span>${outline(document, media.schema)}${exampleBlock(example, `Example (${type})`)}</li>`;
    })}</ul>`;
  })}`;
}

function operationSection(document: Json, op: ApiOperation): SafeHtml {
  const anchor = anchorOf(op);
  const method = op.method.toUpperCase();
  const title = `${method} ${op.path}`;
  const secured = asArray(op.operation.security ?? document.security).some((s) => isObject(s) && Object.keys(s).length > 0);
  return html`<article class="card" id="${anchor}" aria-labelledby="${anchor}-title">
<h3 id="${anchor}-title"><span class="code">${method}</span> <code style="${WRAP}">${op.path}</code></h3>
${str(op.operation.summary) ? html`<p class="lead">${inline(str(op.operation.summary))}</p>` : ''}
${str(op.operation.description) ? html`<p>${inline(str(op.operation.description))}</p>` : ''}
<p class="muted">${secured ? html`Authentication: <code>Authorization: Bearer &lt;API key&gt;</code>.` : 'Public: no authentication.'}</p>
${parametersTable(document, op.operation, title)}
${requestBodySection(document, op.operation)}
${responsesSection(document, op.operation, title)}
</article>`;
}

/** The error bodies the document names, one row per status: the closed list of codes. */
function errorsSection(document: Json): SafeHtml {
  const schemas = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  const rows = Object.entries(schemas)
    .filter(([name]) => /^Error\d{3}$/.test(name))
    .map(([name, schema]) => {
      const property = (value: unknown, key: string): unknown => {
        const { properties } = resolve(document, value).schema;
        return isObject(properties) ? properties[key] : undefined;
      };
      const code = resolve(document, property(property(schema, 'error'), 'code')).schema;
      return { status: name.slice('Error'.length), codes: asArray(code.enum).map(String) };
    })
    .sort((a, b) => a.status.localeCompare(b.status));
  if (!rows.length) return html``;
  return html`<section aria-labelledby="errors">
<h2 id="errors">Errors</h2>
<p>Every error answer is JSON: <code>{ "error": { "code", "message", "details": [{ "path", "message" }] } }</code>. Clients decide on the <code>code</code>, which is stable; <code>details</code> names each offending field.</p>
<table class="stack-table">
<caption class="visually-hidden">Error codes by HTTP status</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Codes</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row" class="code">${r.status}</th><td data-label="Codes">${r.codes.map((c, i) => html`${i ? ', ' : ''}<code>${c}</code>`)}</td></tr>`)}</tbody>
</table>
</section>`;
}

export interface ApiReferenceOptions {
  /** The language of the page chrome (header, footer, language switcher). */
  lang: Language;
  /** Where the page is served, for the language switcher. */
  path: string;
  /** Where the document is served. */
  documentPath: string;
}

export function renderApiReference(document: object, options: ApiReferenceOptions): string {
  const doc = document as Json;
  const info = isObject(doc.info) ? doc.info : {};
  const server = isObject(asArray(doc.servers)[0]) ? str((asArray(doc.servers)[0] as Json).url) : undefined;
  const operations = operationsOf(doc);
  const declared = asArray(doc.tags).filter(isObject).map((t) => ({ name: String(t.name), description: str(t.description) }));
  const used = [...new Set(operations.flatMap((o) => asArray(o.operation.tags).map(String)))];
  const tags = [...declared.filter((t) => used.includes(t.name)), ...used.filter((name) => !declared.some((t) => t.name === name)).map((name) => ({ name, description: undefined }))];
  const untagged = operations.filter((o) => asArray(o.operation.tags).length === 0);
  const groups = [
    ...tags.map((tag) => ({ ...tag, id: `tag-${slug(tag.name)}`, operations: operations.filter((o) => asArray(o.operation.tags).map(String)[0] === tag.name) })),
    ...(untagged.length ? [{ name: 'Other', description: undefined, id: 'tag-other', operations: untagged }] : []),
  ].filter((g) => g.operations.length > 0);
  const title = `${str(info.title) ?? 'API'} reference`;

  const body = html`<div lang="en">
<h1>${title}</h1>
<div class="intro">
<p>${inline(str(info.description))}</p>
<p>Version ${str(info.version)}.${server ? html` Paths are relative to <code>${server}</code>.` : ''} The same description, for tools: <a href="${options.documentPath}">the OpenAPI 3.1 document</a>.</p>
</div>
<nav class="card" aria-labelledby="contents">
<h2 id="contents">Operations</h2>
<ul>${groups.map(
    (g) =>
      html`<li><a href="#${g.id}">${g.name}</a><ul>${g.operations.map((o) => html`<li><a href="#${anchorOf(o)}"><span class="code">${o.method.toUpperCase()}</span> <code style="${WRAP}">${o.path}</code></a>${str(o.operation.summary) ? html`: ${str(o.operation.summary)}` : ''}</li>`)}</ul></li>`,
  )}
<li><a href="#errors">Errors</a></li></ul>
</nav>
${groups.map(
    (g) => html`<section aria-labelledby="${g.id}">
<h2 id="${g.id}">${g.name}</h2>
${g.description ? html`<p>${inline(g.description)}</p>` : ''}
${g.operations.map((o) => operationSection(doc, o))}
</section>`,
  )}
${errorsSection(doc)}
</div>`;

  return renderLayout({ lang: options.lang, title, description: str(info.description), body, switcherPath: options.path, canonicalUrl: server ? `${server}${options.path}` : undefined });
}
