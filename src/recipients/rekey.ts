import type { CredentialRepository } from '../db/repositories.js';
import { learnerKeyOf, type LearnerKeySecrets } from './identity.js';

/**
 * Gives the credentials stored before learners' keys were per organisation their organisation's key,
 * computed from the instance-wide one they hold (identity.ts), and empties that: a batch at a time,
 * until none is left. Instances starting together may both work on a batch: they write the same keys.
 * How many credentials were re-keyed.
 */
export async function rekeyLearners(credentials: Pick<CredentialRepository, 'legacyLearnerKeys' | 'setLearnerKeys'>, secrets: LearnerKeySecrets, batch = 500): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await credentials.legacyLearnerKeys(batch);
    if (!rows.length) return done;
    await credentials.setLearnerKeys(rows.map((r) => ({ id: r.id, learnerKey: learnerKeyOf(secrets, r.orgId, r.key) })));
    done += rows.length;
  }
}
