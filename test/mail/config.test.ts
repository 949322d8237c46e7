import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { loadMailConfig, requireSmtpInProduction } from '../../src/mail/config.js';

describe('loadMailConfig', () => {
  it('writes .eml files to ./data/mail from Care Skills Badges when nothing is set', () => {
    expect(loadMailConfig({})).toEqual({ from: { name: 'Care Skills Badges', address: 'no-reply@localhost' }, dir: resolve('data/mail') });
  });

  it('reads an smtps:// URL with a user and an encoded password', () => {
    const config = loadMailConfig({ SMTP_URL: 'smtps://badges%40example.org:p%40ss%3Aword@mail.example.org' });
    expect(config.smtp).toEqual({ host: 'mail.example.org', port: 465, secure: true, auth: { user: 'badges@example.org', pass: 'p@ss:word' } });
  });

  it('reads an smtp:// URL without credentials, on the submission port unless one is given', () => {
    expect(loadMailConfig({ SMTP_URL: 'smtp://mail.example.org' }).smtp).toEqual({ host: 'mail.example.org', port: 587, secure: false });
    expect(loadMailConfig({ SMTP_URL: 'smtp://[::1]:2525/' }).smtp).toEqual({ host: '::1', port: 2525, secure: false });
  });

  it('counts an empty SMTP_URL as unset', () => {
    expect(loadMailConfig({ SMTP_URL: '' }).smtp).toBeUndefined();
  });

  it('reads MAIL_FROM with or without a display name, and MAIL_DIR', () => {
    expect(loadMailConfig({ MAIL_FROM: '"Cura & Co." <badges@cura.example.org>' }).from).toEqual({ name: 'Cura & Co.', address: 'badges@cura.example.org' });
    expect(loadMailConfig({ MAIL_FROM: 'badges@cura.example.org' }).from).toEqual({ name: '', address: 'badges@cura.example.org' });
    expect(loadMailConfig({ MAIL_DIR: '/tmp/outgoing-mail' }).dir).toBe('/tmp/outgoing-mail');
  });

  it.each([
    ['SMTP_URL', 'https://mail.example.org'],
    ['SMTP_URL', 'not a url'],
    ['SMTP_URL', 'smtp://mail.example.org/?pool=true'],
    ['MAIL_FROM', 'Care Skills Badges'],
    ['MAIL_FROM', 'a@example.org, b@example.org'],
  ])('stops with a ConfigError naming %s for %j', (name, value) => {
    expect(() => loadMailConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadMailConfig({ [name]: value })).toThrow(`configuration variable ${name} is invalid`);
  });

  it('never repeats the password of a wrong SMTP_URL', () => {
    let message = '';
    try {
      loadMailConfig({ SMTP_URL: 'http://user:s3cret-pass@mail.example.org' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SMTP_URL');
    expect(message).not.toContain('s3cret-pass');
  });
});

describe('mail in the service\'s configuration', () => {
  it('is part of Config, with MAIL_DIR beside the database unless set', () => {
    const config = loadConfig({ DATA_DIR: '/srv/badges/data', SMTP_URL: 'smtp://mail.example.org:2525', MAIL_FROM: 'Cura <badges@cura.example.org>' });
    expect(config.mail).toEqual({ smtp: { host: 'mail.example.org', port: 2525, secure: false }, from: { name: 'Cura', address: 'badges@cura.example.org' }, dir: '/srv/badges/data/mail' });
    expect(loadConfig({ DATA_DIR: '/srv/badges/data', MAIL_DIR: '/srv/outgoing' }).mail.dir).toBe('/srv/outgoing');
  });

  it('names SMTP_URL, and never repeats its password, when it is wrong', () => {
    expect(() => loadConfig({ SMTP_URL: 'https://user:s3cret@mail.example.org' })).toThrow(/^configuration variable SMTP_URL is invalid/);
    expect(() => loadConfig({ SMTP_URL: 'https://user:s3cret@mail.example.org' })).not.toThrow(/s3cret/);
  });

  it('is required over SMTP for the service in production, and only there', () => {
    const production = loadConfig({ NODE_ENV: 'production' });
    expect(() => requireSmtpInProduction(production.env, production.mail)).toThrow(ConfigError);
    expect(() => requireSmtpInProduction(production.env, production.mail)).toThrow(/^configuration variable SMTP_URL is required in production/);
    const withSmtp = loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtps://mail.example.org' });
    expect(() => requireSmtpInProduction(withSmtp.env, withSmtp.mail)).not.toThrow();
    const development = loadConfig({});
    expect(() => requireSmtpInProduction(development.env, development.mail)).not.toThrow();
  });
});
