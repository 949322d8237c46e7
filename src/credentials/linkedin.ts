/**
 * LinkedIn's "Add to profile" link for a certification (its documented `startTask=CERTIFICATION_NAME`
 * form): name, organisation, issue and expiry month, and the credential's URL and id.
 */
export function linkedInAddToProfileUrl(credential: Record<string, unknown>, shortId: string): string {
  const issuer = credential.issuer as { name?: string } | string;
  const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: String(credential.name ?? '') });
  if (typeof issuer === 'object' && issuer.name) params.set('organizationName', issuer.name);
  const from = typeof credential.validFrom === 'string' ? new Date(credential.validFrom) : undefined;
  if (from) {
    params.set('issueYear', String(from.getUTCFullYear()));
    params.set('issueMonth', String(from.getUTCMonth() + 1));
  }
  const until = typeof credential.validUntil === 'string' ? new Date(credential.validUntil) : undefined;
  if (until) {
    params.set('expirationYear', String(until.getUTCFullYear()));
    params.set('expirationMonth', String(until.getUTCMonth() + 1));
  }
  params.set('certUrl', String(credential.id));
  params.set('certId', shortId);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}
