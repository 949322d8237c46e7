/**
 * An unsigned VCDM 2.0 OpenBadgeCredential of another issuer, for tests that sign credentials as
 * other issuers would; `extra` adds or replaces top-level properties.
 */
export const FIRST_AID_ACHIEVEMENT = {
  id: 'https://example.org/achievements/first-aid',
  type: ['Achievement'],
  name: 'First Aid',
  description: 'Basic first aid.',
  criteria: { narrative: 'Passed the practical test.' },
};

export function firstAidBadge(issuer: { id: string; name: string }, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:1b0d5d4e-7a43-4f3c-9d8e-2a6c1f0e5b77',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { ...issuer, type: ['Profile'] },
    validFrom: '2025-01-01T00:00:00Z',
    name: 'First Aid',
    credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'], achievement: FIRST_AID_ACHIEVEMENT },
    ...extra,
  };
}
