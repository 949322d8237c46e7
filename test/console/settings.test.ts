import sharp from 'sharp';
import request from 'supertest';
import { addProvider } from '../../src/organisations/api-keys.js';
import { createKeyEncryption } from '../../src/keys/key-encryption.js';
import { createOrganisations } from '../../src/organisations/organisations.js';
import { PUBLIC_URL, startTestApp, TEST_KEK, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser } from '../helpers/console.js';

/**
 * The owners' settings page: the organisation's issuer Profile as its badges name it, its logo, and its
 * signing keys. Issuers and viewers cannot open it; mistakes come back next to their fields, in the
 * reader's language; what is saved shows at once on the public Profile; rotated keys leave what the
 * old ones signed verifying.
 */
let t: TestApp;
let org: { id: string; slug: string; did: string };
let apiKey: string;
let owner: ConsoleBrowser;
const PASSWORD = 'una password lunga per tutti';

const signedIn = async (email: string) => {
  const b = new ConsoleBrowser(t.app);
  await b.signIn(email, PASSWORD);
  return b;
};

beforeAll(async () => {
  t = await startTestApp();
  const made = await addProvider(t.ctx, 'Casa di Cura Roma', ['*'], 'casa-roma');
  org = { id: made.org.id, slug: made.org.slug, did: made.org.did };
  apiKey = made.apiKey;
  for (const [email, role] of [['owner@casa.example.org', 'owner'], ['issuer@casa.example.org', 'issuer'], ['viewer@casa.example.org', 'viewer']] as const) {
    await t.ctx.accounts.createUser({ email, password: PASSWORD, name: role, orgId: org.id, role });
  }
  owner = await signedIn('owner@casa.example.org');
});
afterAll(() => t.close());

const PROFILE = {
  name: 'Casa di Cura Roma',
  'name.it': 'Casa di Cura Roma',
  'name.en': 'Rome Care Home',
  'description.en': 'Training for carers in Rome since 1998.',
  'description.it': 'Formazione per assistenti a Roma dal 1998.',
  url: 'https://casa-roma.example.org',
  email: 'badge@casa-roma.example.org',
  phone: '+39 06 1234567',
  'address.streetAddress': 'Via Appia 12',
  'address.postalCode': '00179',
  'address.addressLocality': 'Roma',
  'address.addressCountryCode': 'IT',
  'otherIdentifier.0.identifierType': 'ext:VetRegister',
  'otherIdentifier.0.identifier': 'IT-LAZIO-00042',
};
const profileOf = async (lang = 'en') => JSON.parse((await request(t.app).get(`/orgs/${org.slug}?lang=${lang}`).expect(200)).text);
const award = async () =>
  (
    await request(t.app)
      .post('/api/v1/credentials')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ badgeClass: 'carer-plus-digital-communication', recipient: { email: 'learner@example.org' }, language: 'it' })
      .expect(201)
  ).body as { id: string; url: string; credential: Record<string, any> };
const verified = async (credential: unknown) => (await request(t.app).post('/verify').send({ credential }).expect(200)).body.verified as boolean;

describe('the settings page', () => {
  it('is in the owner’s navigation, and shows the organisation’s identifier and keys', async () => {
    const res = await owner.get('/console/settings');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/console/settings" aria-current="page"');
    expect(res.text).toContain(org.did);
    expect(res.text).toContain('Change the signing keys');
    expect(res.text).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it.each(['issuer', 'viewer'])('is closed to the %s role: 403 to the page and to each form, and no link to it', async (role) => {
    const b = await signedIn(`${role}@casa.example.org`);
    expect((await b.get('/console')).text).not.toContain('/console/settings');
    const page = await b.get('/console/settings');
    expect(page.status).toBe(403);
    expect((await b.postMultipart('/console/settings', { ...PROFILE, name: 'Taken over' })).status).toBe(403);
    expect((await b.post('/console/settings/keys', {})).status).toBe(403);
    expect((await t.ctx.organisations.fresh(org.id))!.name).toBe('Casa di Cura Roma');
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const res = await owner.postMultipart('/console/settings', { ...PROFILE, _csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This form has expired');
  });
});

describe('editing the profile', () => {
  it('saves names and descriptions per language, contact, address and identifier; the public Profile shows them at once', async () => {
    await profileOf(); // the public Profile is now cached on this instance
    await owner.get('/console/settings');
    const res = await owner.postMultipart('/console/settings', PROFILE);
    expect([res.status, res.headers.location]).toEqual([303, '/console/settings?saved=1']);
    expect((await owner.get('/console/settings?saved=1')).text).toContain('Saved. Badges awarded from now on show these details');

    expect(await profileOf('en')).toMatchObject({
      id: org.did,
      type: ['Profile'],
      name: 'Rome Care Home',
      description: 'Training for carers in Rome since 1998.',
      url: 'https://casa-roma.example.org',
      email: 'badge@casa-roma.example.org',
      phone: '+39 06 1234567',
      address: { type: ['Address'], streetAddress: 'Via Appia 12', postalCode: '00179', addressLocality: 'Roma', addressCountryCode: 'IT' },
      otherIdentifier: [{ type: 'IdentifierEntry', identifier: 'IT-LAZIO-00042', identifierType: 'ext:VetRegister' }],
    });
    expect((await profileOf('it')).description).toBe('Formazione per assistenti a Roma dal 1998.');
    // The form shows what is stored.
    const again = (await owner.get('/console/settings')).text;
    expect(again).toContain('value="https://casa-roma.example.org" id="s-url"');
    expect(again).toContain('value="IT-LAZIO-00042"');
    expect(again).toMatch(/<option value="IT" selected>Italy<\/option>/);
  });

  it('records which fields changed in the activity log, never their values', async () => {
    const entry = (await t.ctx.accounts.auditOf(org.id, { limit: 10 })).find((e) => e.action === 'organisation.updated')!;
    expect(entry).toMatchObject({ subject: org.slug });
    expect(entry.details).toEqual({ fields: expect.arrayContaining(['profile.email', 'profile.url', 'profile.address']) });
    expect(JSON.stringify(entry)).not.toMatch(/casa-roma\.example\.org|Via Appia|\+39/);
  });

  it('shows a URL and an e-mail address it cannot take next to their fields, in the person’s language, with 422, and saves nothing', async () => {
    await owner.get('/console/settings?lang=it');
    const res = await owner.postMultipart('/console/settings?lang=it', { ...PROFILE, url: 'casa-roma punto it', email: 'badge at casa-roma', 'address.postalCode': 'x'.repeat(31) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Alcuni campi richiedono la tua attenzione');
    expect(res.text).toMatch(/<p class="field-error" id="s-url-error">Questo non è un indirizzo web\. Scrivilo per intero, iniziando con https:\/\/<\/p>\s*<input type="url" value="casa-roma punto it" id="s-url" name="url" aria-invalid="true" aria-describedby="s-url-error s-url-hint"/);
    expect(res.text).toMatch(/id="s-email-error">Questo non è un indirizzo e-mail\.</);
    expect(res.text).toContain('È troppo lungo: al massimo 30 caratteri.');
    expect((await profileOf()).url).toBe('https://casa-roma.example.org');
  });

  it('says in plain words that a name is needed, and that an identifier kind must come from Open Badges or start with ext:', async () => {
    await owner.get('/console/settings?lang=en');
    const res = await owner.postMultipart('/console/settings?lang=en', { ...PROFILE, name: '  ', 'otherIdentifier.0.identifierType': 'VET register' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="s-name-error">Fill this in\.</);
    expect(res.text).toMatch(/id="s-otherIdentifier-0-identifierType-error">Use a kind from the list/);
  });

  it('removes what the owner empties', async () => {
    await owner.get('/console/settings?lang=en');
    const { phone: _phone, 'otherIdentifier.0.identifier': _id, 'otherIdentifier.0.identifierType': _type, ...rest } = PROFILE;
    expect((await owner.postMultipart('/console/settings', rest)).status).toBe(303);
    const profile = await profileOf();
    expect(profile.phone).toBeUndefined();
    expect(profile.otherIdentifier).toBeUndefined();
    expect((await owner.postMultipart('/console/settings', PROFILE)).status).toBe(303);
  });
});

describe('the logo', () => {
  const wide = () => sharp({ create: { width: 256, height: 96, channels: 3, background: '#1f4e79' } }).png().toBuffer();

  it('takes a PNG logo, names it in the Profile and serves it', async () => {
    await owner.get('/console/settings');
    const png = await wide();
    const res = await owner.postMultipart('/console/settings', PROFILE, { logo: { data: png, filename: 'logo.png', contentType: 'image/png' } });
    expect(res.status).toBe(303);
    const image = (await profileOf()).image as { id: string; type: string };
    expect(image).toEqual({ id: expect.stringMatching(new RegExp(`^${t.config.publicUrl}/orgs/${org.slug}/logo\\?v=`)), type: 'Image' });
    const served = await request(t.app).get(image.id.slice(t.config.publicUrl.length)).expect(200).expect('Content-Type', 'image/png');
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);
    expect((await owner.get('/console/settings')).text).toContain(`<img src="${image.id}"`);
  });

  it('refuses a file that is no image, and an SVG with a script, saying why in the person’s language', async () => {
    await owner.get('/console/settings?lang=de');
    const text = await owner.postMultipart('/console/settings?lang=de', PROFILE, { logo: { data: Buffer.from('not an image'), filename: 'logo.png', contentType: 'image/png' } });
    expect(text.status).toBe(422);
    expect(text.text).toMatch(/id="s-logo-error">Das Logo muss eine PNG- oder SVG-Bilddatei sein\.</);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const scripted = await owner.postMultipart('/console/settings?lang=de', PROFILE, { logo: { data: svg, filename: 'logo.svg', contentType: 'image/svg+xml' } });
    expect(scripted.status).toBe(422);
    expect(scripted.text).toContain('Dieses SVG enthält mehr als ein Bild');
    // The logo saved before is still the one served.
    expect((await profileOf()).image).toBeDefined();
  });

  it('removes the logo when asked', async () => {
    await owner.get('/console/settings?lang=en');
    expect((await owner.postMultipart('/console/settings', { ...PROFILE, removeLogo: '1' })).status).toBe(303);
    expect((await profileOf()).image).toBeUndefined();
    await request(t.app).get(`/orgs/${org.slug}/logo`).expect(404);
  });
});

describe('rotating the signing keys', () => {
  it('signs with new keys afterwards; a credential signed before keeps its embedded issuer and keeps verifying', async () => {
    const before = await award();
    const storedBefore = (await request(t.app).get(`/credentials/${before.id}`).set('Accept', 'application/ld+json').expect(200)).text;
    expect(before.credential.issuer.name).toBe('Casa di Cura Roma');

    await owner.get('/console/settings');
    const res = await owner.post('/console/settings/keys', {});
    expect([res.status, res.headers.location]).toEqual([303, '/console/settings?rotated=1']);
    expect((await owner.get('/console/settings?rotated=1')).text).toContain('New keys are in use');

    const did = JSON.parse((await request(t.app).get(`/orgs/${org.slug}/did.json`).expect(200)).text);
    expect(did.verificationMethod).toHaveLength(4);
    expect(did.assertionMethod).toContain(before.credential.proof[0].verificationMethod);

    // A change of name later does not touch what was signed.
    await owner.postMultipart('/console/settings', { ...PROFILE, 'name.it': 'Casa di Cura Roma Sud' });
    const after = await award();
    expect(after.credential.issuer.name).toBe('Casa di Cura Roma Sud');
    expect(after.credential.proof[0].verificationMethod).not.toBe(before.credential.proof[0].verificationMethod);
    expect((await request(t.app).get(`/credentials/${before.id}`).set('Accept', 'application/ld+json').expect(200)).text).toBe(storedBefore);
    expect(await verified(before.credential)).toBe(true);
    expect(await verified(after.credential)).toBe(true);

    const rotated = (await t.ctx.accounts.auditOf(org.id, { limit: 20 })).find((e) => e.action === 'organisation.keys_rotated')!;
    expect(rotated).toMatchObject({ subject: org.slug, details: { keys: expect.any(Array) } });
  });
});

describe('the instance’s own organisation', () => {
  it('is edited like any other; a restart keeps the edit until the operator changes the ISSUER_* settings', async () => {
    await t.ctx.accounts.createUser({ email: 'owner@instance.example.org', password: PASSWORD, name: 'Io', orgId: t.ctx.instance.id, role: 'owner' });
    const b = await signedIn('owner@instance.example.org');
    const page = await b.get('/console/settings');
    expect(page.text).toContain('ISSUER_NAME');
    expect((await b.postMultipart('/console/settings', { name: 'Test Care Academy', url: 'https://academy.example.org', 'description.en': 'Our own words.' })).status).toBe(303);
    const issuer = async () => JSON.parse((await request(t.app).get('/issuer').expect(200)).text);
    expect(await issuer()).toMatchObject({ url: 'https://academy.example.org', description: 'Our own words.' });

    // Another start with the same settings (as app-context.ts passes them) keeps the edit…
    const restart = createOrganisations({ repo: t.ctx.storage.organisations, encryption: createKeyEncryption(Buffer.from(TEST_KEK, 'base64')), publicUrl: PUBLIC_URL, instanceDid: 'web' });
    const noKeys = () => Promise.reject(new Error('the instance exists: no key files are read'));
    const settings = { name: 'Test Care Academy', profile: { url: PUBLIC_URL, email: 'badges@example.org' } };
    expect((await restart.ensureInstance(noKeys, settings)).profile).toMatchObject({ url: 'https://academy.example.org' });
    // …and changed settings replace it.
    const changed = await restart.ensureInstance(noKeys, { ...settings, profile: { ...settings.profile, email: 'info@example.org' } });
    expect(changed.profile).toEqual({ url: PUBLIC_URL, email: 'info@example.org' });
  });
});
