import type { Language } from '../badge-classes/schema.js';
import { html } from './html.js';
import { MESSAGES } from './i18n.js';
import { renderLayout } from './layout.js';

/** `/`: what the service is, and the two ways in: checking a badge, and signing in to award them. */
export function renderLandingPage(lang: Language, siteName: string): string {
  const t = MESSAGES[lang];
  const body = html`<h1>${t.landingTitle}</h1>
<p class="lead">${t.landingIntro}</p>
<section class="card" aria-labelledby="verify-heading">
  <h2 id="verify-heading">${t.landingVerifyHeading}</h2>
  <p>${t.landingVerifyText}</p>
  <p><a class="button button--primary" href="/verify?lang=${lang}">${t.landingVerifyHeading}</a></p>
</section>
<p><a href="/profile?lang=${lang}">${t.landingProfile}</a></p>
<p><a href="/pathways?lang=${lang}">${t.landingPathways}</a></p>
<p><a href="/frameworks?lang=${lang}">${t.landingFrameworks}</a></p>
<section class="card" aria-labelledby="providers-heading">
  <h2 id="providers-heading">${t.landingProvidersHeading}</h2>
  <p>${t.landingProvidersText}</p>
  <p><a class="button" href="/console/sign-in?lang=${lang}">${t.landingSignIn}</a></p>
  <p class="muted"><a href="/api/reference">${t.landingApi}</a></p>
</section>`;
  return renderLayout({ lang, title: `${t.landingTitle} – ${siteName}`, description: t.landingIntro, body, switcherPath: '/', siteName, siteUrl: '/' });
}
