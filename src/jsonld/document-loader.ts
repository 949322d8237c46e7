import { BUNDLED_CONTEXTS } from './contexts.js';

/** What jsonld.js and jsonld-signatures expect a document loader to return. */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Resolves a URL that is not a context (a DID, a verification method), or returns undefined. */
export type DocumentResolver = (url: string) => Promise<unknown>;

export class UnknownDocumentError extends Error {
  override name = 'UnknownDocumentError';
  readonly code = 'unknown_document';
  constructor(readonly url: string) {
    super(`"${url}" is not a bundled JSON-LD context or a known document; it was not fetched`);
  }
}

/**
 * A document loader that fails closed: bundled contexts first, then the given resolvers in order
 * (our own DIDs and keys, did:key, ...). Any other URL throws `UnknownDocumentError`.
 */
export function createDocumentLoader(resolvers: DocumentResolver[] = []): DocumentLoader {
  return async (url: string) => {
    const context = BUNDLED_CONTEXTS.get(url);
    if (context !== undefined) return { contextUrl: null, documentUrl: url, document: structuredClone(context) };
    for (const resolve of resolvers) {
      const document = await resolve(url);
      if (document !== undefined) return { contextUrl: null, documentUrl: url, document };
    }
    throw new UnknownDocumentError(url);
  };
}
