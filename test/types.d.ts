// Test-only packages that ship JavaScript without typings.
declare module '@digitalcredentials/vc';
declare module '@digitalcredentials/ed25519-signature-2020';
declare module '@digitalcredentials/ed25519-verification-key-2020';
declare module '@digitalcredentials/security-document-loader';
