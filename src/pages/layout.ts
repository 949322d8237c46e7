import { SUPPORTED_LANGUAGES, type Language } from '../badge-classes/schema.js';
import { html, raw, type SafeHtml } from './html.js';
import { LANGUAGE_NAMES, MESSAGES } from './i18n.js';

export { escapeHtml } from './html.js';

export interface LayoutOptions {
  lang: Language;
  title: string;
  description?: string;
  body: SafeHtml;
  og?: { title: string; description: string; image: string; url: string };
  canonicalUrl?: string;
  /** The page's own path; the language switcher links to it with `?lang=xx`. */
  switcherPath: string;
  /** Shown in the header; defaults to the service's name in the page language. */
  siteName?: string;
  /** Where the header name links to; no link when absent. */
  siteUrl?: string;
  /** The footer's line; defaults to what the public pages say about their checks. */
  footerText?: string;
  /** More for the head (a page's own script, a refresh for browsers without one). */
  head?: SafeHtml;
}

/** `path` with its `lang` query parameter set, keeping the rest of the query and the fragment. */
export function withLang(path: string, lang: Language): string {
  const hashAt = path.indexOf('#');
  const hash = hashAt >= 0 ? path.slice(hashAt) : '';
  const beforeHash = hashAt >= 0 ? path.slice(0, hashAt) : path;
  const [pathname = '', query = ''] = beforeHash.split(/\?(.*)/s);
  const params = new URLSearchParams(query);
  params.set('lang', lang);
  return `${pathname}?${params.toString()}${hash}`;
}

/**
 * One stylesheet, inline, so pages work under `default-src 'none'; style-src 'unsafe-inline'`:
 * system fonts only, no images but the badge, colours at WCAG AA contrast or better.
 */
const STYLES = raw(`
:root{--ink:#1b1f24;--muted:#4a5360;--line:#d5dbe3;--bg:#f3f5f8;--card:#fff;--accent:#1d4f91;--accent-ink:#fff;
--ok:#14633a;--ok-bg:#e9f6ee;--ok-line:#8fc9a6;--bad:#9f1c1c;--bad-bg:#fdeeee;--bad-line:#e5a3a3;--warn:#7a4a00;--warn-bg:#fff5df;--warn-line:#e5c27a;
--radius:10px;font-size:100%}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:2px}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:1rem;top:-10rem;background:var(--accent);color:var(--accent-ink);padding:.6rem 1rem;border-radius:0 0 6px 6px;z-index:10}
.skip-link:focus{top:0}
.wrap{max-width:62rem;margin:0 auto;padding:0 1.25rem}
.site-header{background:var(--card);border-bottom:1px solid var(--line)}
.site-header .wrap{display:flex;align-items:center;justify-content:space-between;gap:1rem;min-height:3.5rem}
.site-name{font-weight:650;letter-spacing:.01em;color:var(--ink);text-decoration:none}
a.site-name:hover{text-decoration:underline}
main{display:block;padding:2rem 0 3rem}
h1,h2,h3,h4{line-height:1.25;margin:0 0 .6rem}
h1{font-family:Georgia,"Times New Roman",serif;font-size:clamp(1.7rem,4vw,2.4rem);font-weight:700}
h2{font-size:1.3rem}
h3{font-size:1.08rem}
h4{font-size:1rem}
p{margin:0 0 .8rem}
ul,ol{margin:0 0 .8rem;padding-left:1.3rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1.5rem;margin:0 0 1.25rem}
.card>:last-child,.card li>:last-child,.verdict__text>:last-child{margin-bottom:0}
.certificate{border-top:6px solid var(--accent);padding:2rem}
.hero{display:grid;grid-template-columns:10rem 1fr;gap:2rem;align-items:start}
.hero__image{width:10rem;height:10rem;object-fit:contain;border-radius:8px;background:var(--bg)}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;font-weight:650;color:var(--muted);margin:0 0 .3rem}
.lead{font-size:1.1rem;margin:.2rem 0 .2rem}
.intro{max-width:46rem;margin:0 0 1.5rem}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.9rem 1.5rem;margin:1.5rem 0 0;padding:1.2rem 0 0;border-top:1px solid var(--line)}
.facts div{min-width:0}
.facts dt{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:600}
.facts--summary{margin:0 0 1.2rem;padding:0;border:0}
.facts dd{margin:.15rem 0 0;font-weight:600;overflow-wrap:break-word;hyphens:auto}
.facts + h2,.facts + p{margin-top:1.8rem}
.plain-list{list-style:none;padding:0}
.plain-list li{margin:.4rem 0}
span.code{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.25rem}
.verdict{display:flex;gap:1rem;align-items:flex-start;border:2px solid;border-radius:var(--radius);padding:1.1rem 1.3rem;margin:0 0 1rem}
.verdict h2,.verdict h3,.verdict h4{font-size:1.45rem;margin:0 0 .3rem}
.verdict p{margin:0 0 .4rem}
.verdict ul{margin:.2rem 0 .5rem}
.verdict__mark{flex:none;width:2.6rem;height:2.6rem;border-radius:50%;display:flex;align-items:center;justify-content:center;font-size:1.5rem;font-weight:800;color:#fff;margin:0!important}
.verdict__when{font-size:.9rem;color:var(--muted)}
.verdict__reason{font-weight:600}
.verdict--ok{border-color:var(--ok-line);background:var(--ok-bg)}.verdict--ok h2,.verdict--ok h3{color:var(--ok)}.verdict--ok .verdict__mark{background:var(--ok)}
.verdict--bad{border-color:var(--bad-line);background:var(--bad-bg)}.verdict--bad h2,.verdict--bad h3{color:var(--bad)}.verdict--bad .verdict__mark{background:var(--bad)}
.verdict--warn{border-color:var(--warn-line);background:var(--warn-bg)}.verdict--warn h2,.verdict--warn h3{color:var(--warn)}.verdict--warn .verdict__mark{background:var(--warn)}
.checks h3,.checks h4{font-size:1rem;margin:1rem 0 .4rem}
.check-list{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(19rem,1fr));gap:.35rem 1.5rem}
.check{display:flex;gap:.55rem;align-items:baseline}
.check__mark{flex:none;display:inline-block;width:1.3rem;text-align:center;font-weight:800}
.check--passed .check__mark{color:var(--ok)}.check--failed .check__mark{color:var(--bad)}.check--warning .check__mark{color:var(--warn)}.check--unconfirmed .check__mark{color:var(--warn)}.check--skipped .check__mark{color:var(--muted)}
.check-details{margin-top:.8rem}
.check-details summary{cursor:pointer;color:var(--accent);font-weight:600;padding:.2rem 0}
.check__detail{display:block;color:var(--muted);font-size:.88rem;margin-top:.15rem}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.6rem 0 .4rem;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:.55rem .7rem;border-bottom:1px solid var(--line)}
thead th{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom-width:2px}
.nowrap{white-space:nowrap}
.muted{color:var(--muted)}
.code{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
.evidence{list-style:none;padding:0;margin:0}
.evidence li{padding:.8rem 0;border-bottom:1px solid var(--line)}
.evidence li:last-child{border-bottom:0}
.actions{display:flex;flex-wrap:wrap;gap:.6rem;list-style:none;padding:0;margin:.6rem 0 0}
.button,button{display:inline-flex;align-items:center;gap:.4rem;font:inherit;font-weight:600;padding:.55rem 1rem;border-radius:8px;border:2px solid var(--accent);background:var(--card);color:var(--accent);text-decoration:none;cursor:pointer;line-height:1.3}
.button--primary,button{background:var(--accent);color:var(--accent-ink)}
.button:hover,button:hover{text-decoration:underline}
label{display:block;font-weight:600;margin:0 0 .3rem}
.hint{display:block;color:var(--muted);font-size:.9rem;margin:-.1rem 0 .4rem;font-weight:400}
input[type=email],input[type=file],textarea{font:inherit;width:100%;max-width:36rem;padding:.55rem .7rem;border:2px solid #6b7380;border-radius:8px;background:#fff;color:var(--ink)}
textarea{min-height:9rem;max-width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
.field{margin:0 0 1.1rem}
.inline-form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
.inline-form .field{flex:0 1 30rem;margin:0}
.notice{border-left:5px solid;padding:.7rem 1rem;border-radius:6px;margin:1rem 0 0;font-weight:600;overflow-wrap:anywhere}
.notice--ok{border-color:var(--ok);background:var(--ok-bg);color:var(--ok)}
.notice--bad{border-color:var(--bad);background:var(--bad-bg);color:var(--bad)}
.notice--info{border-color:var(--line,#8a8a8a);background:#f4f6f8;color:inherit;font-weight:400}
.console-nav{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.6rem 1.2rem;align-items:center;padding:.8rem 1rem}
.console-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
.console-nav a{display:inline-block;padding:.2rem 0}
.console-nav a[aria-current]{font-weight:700;color:var(--ink);text-decoration:none;border-bottom:3px solid var(--accent)}
.console-nav__who{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;font-size:.95rem}
.console-nav .inline-form,td .inline-form{display:inline-flex;align-items:center;margin:.15rem .3rem .15rem 0}
input[type=text],input[type=password],input[type=url],input[type=tel],input[type=date],input[type=number],input[type=search],select{font:inherit;width:100%;max-width:36rem;padding:.55rem .7rem;border:2px solid #6b7380;border-radius:8px;background:#fff;color:var(--ink)}
.inline-form select{width:auto;max-width:100%;min-width:0}
td{overflow-wrap:anywhere}
.field-error{color:var(--bad);font-weight:600;margin:0 0 .3rem}
.narrow{max-width:36rem}
fieldset{margin:0 0 1.25rem;min-width:0}
fieldset.card{border:1px solid var(--line)}
legend{font-weight:700;font-size:1.1rem;padding:0 .4rem}
.subfieldset{border:1px dashed var(--line);border-radius:8px;padding:.8rem 1rem;margin:0 0 1rem}
details.card>summary{cursor:pointer;font-weight:700;font-size:1.1rem;margin:-.2rem 0 .6rem}
details.card:not([open])>summary{margin:0}
code.secret{display:block;word-break:break-all;padding:.5rem;background:#fff;border:1px solid var(--line);margin-top:.4rem;font-weight:400}
.print-only{display:none}
.site-footer{border-top:1px solid var(--line);background:var(--card);padding:1.3rem 0 2rem;font-size:.92rem;color:var(--muted)}
.lang-switcher ul{list-style:none;padding:0;margin:0 0 .6rem;display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.lang-switcher a{display:inline-block;padding:.15rem .1rem}
.lang-switcher a[aria-current]{color:var(--ink);font-weight:700;text-decoration:none;border-bottom:3px solid var(--accent)}
@media (max-width:40rem){
  .certificate{padding:1.3rem}
  .hero{grid-template-columns:1fr;gap:1rem;justify-items:start}
  .hero__image{width:7.5rem;height:7.5rem}
  .card{padding:1.1rem}
  .facts{grid-template-columns:1fr 1fr}
  .verdict{padding:.9rem 1rem;gap:.8rem}
  .verdict__mark{width:2.1rem;height:2.1rem;font-size:1.2rem}
  .stack-table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  .stack-table tr{display:block;padding:.6rem 0;border-bottom:1px solid var(--line)}
  .stack-table th,.stack-table td{display:block;border:0;padding:.1rem 0}
  .stack-table td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-weight:400}
}
@media print{
  body{background:#fff;font-size:11pt}
  .site-header,.site-footer,.skip-link,.no-print,.check-details{display:none!important}
  main{padding:0}
  .wrap{max-width:none;padding:0}
  .card{border:0;padding:0 0 .8rem;margin:0 0 .8rem;border-bottom:1px solid #999;border-radius:0;break-inside:avoid}
  .certificate{border-top:0}
  .verdict{break-inside:avoid;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a{color:inherit}
  .print-only{display:block}
}
`);

/** A complete HTML document: head with social metadata, header, main, footer with the language switcher. */
export function renderLayout(options: LayoutOptions): string {
  const { lang, title, description, body, og, canonicalUrl, switcherPath } = options;
  const t = MESSAGES[lang];
  const siteName = options.siteName ?? t.siteName;
  const switcher = SUPPORTED_LANGUAGES.map((code) =>
    code === lang
      ? html`<li><a href="${withLang(switcherPath, code)}" lang="${code}" hreflang="${code}" aria-current="true">${LANGUAGE_NAMES[code]}</a></li>`
      : html`<li><a href="${withLang(switcherPath, code)}" lang="${code}" hreflang="${code}">${LANGUAGE_NAMES[code]}</a></li>`,
  );
  const doc = html`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
${description ? html`<meta name="description" content="${description}">` : ''}
${canonicalUrl ? html`<link rel="canonical" href="${canonicalUrl}">` : ''}
${og
  ? html`<meta property="og:type" content="website">
<meta property="og:title" content="${og.title}">
<meta property="og:description" content="${og.description}">
<meta property="og:image" content="${og.image}">
<meta property="og:image:alt" content="${og.title}">
<meta property="og:url" content="${og.url}">
<meta property="og:site_name" content="${siteName}">
<meta property="og:locale" content="${lang}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${og.title}">
<meta name="twitter:description" content="${og.description}">
<meta name="twitter:image" content="${og.image}">`
  : ''}
<style>${STYLES}</style>
${options.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">${t.skipToContent}</a>
<header class="site-header">
  <div class="wrap">${options.siteUrl ? html`<a class="site-name" href="${options.siteUrl}">${siteName}</a>` : html`<span class="site-name">${siteName}</span>`}</div>
</header>
<main id="main" tabindex="-1">
  <div class="wrap">
${body}
  </div>
</main>
<footer class="site-footer">
  <div class="wrap">
    <nav class="lang-switcher" aria-label="${t.languageNav}"><ul>${switcher}</ul></nav>
    <p>${options.footerText ?? t.footerAbout}</p>
  </div>
</footer>
</body>
</html>
`;
  return doc.value;
}
