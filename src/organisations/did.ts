/**
 * did:web identifiers (W3C did:web method §3.2): the host (with its port percent-encoded) and the
 * path segments, joined by ':'. `http://localhost:3000` → `did:web:localhost%3A3000`.
 */
export function didWebFromUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const segments = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...segments].join(':');
}

/** Where a did:web document lives: `/.well-known/did.json` at the root, else `<path>/did.json`. */
export function didWebDocumentUrl(did: string): string {
  const [, , host, ...segments] = did.split(':');
  if (!host) throw new Error(`"${did}" is not a did:web identifier`);
  const path = segments.length ? `/${segments.map(decodeURIComponent).join('/')}/did.json` : '/.well-known/did.json';
  return `https://${decodeURIComponent(host)}${path}`;
}

export function didKeyFromMultibase(publicKeyMultibase: string): string {
  return `did:key:${publicKeyMultibase}`;
}
