import type { MailMessages } from './en.js';

export const ro: MailMessages = {
  greeting: 'Bună ziua, {name},',
  greetingNoName: 'Bună ziua,',
  linkFallback: 'Dacă butonul nu funcționează, copiați acest link în browser:',

  award: {
    subject: 'Ați primit o insignă de la {organisation}: {badge}',
    heading: 'Felicitări! Ați obținut o insignă.',
    intro: '{organisation} v-a acordat această insignă:',
    awardedTo: 'Acordată către: {name}',
    button: 'Deschideți insigna: {badge}',
    pageIntro: 'Pe pagina insignei puteți:',
    pageDownload: 'descărca insigna',
    pagePdf: 'o tipări ca certificat PDF',
    pageLinkedIn: 'o adăuga pe profilul dvs. de LinkedIn',
    pageEmployer: 'trimite linkul unui angajator, care poate verifica dacă insigna este autentică',
    attachment:
      'Insigna este atașată și la acest e-mail, ca imagine (badge.png). Păstrați-o cu grijă: certificatul dvs. este salvat în imagine.',
    whatIsHeading: 'Ce este un Open Badge?',
    whatIs: 'Un Open Badge este un certificat digital. Arată ce ați învățat. Oricine poate verifica dacă este autentic.',
    contact: 'Aveți întrebări? Contactați {organisation}: {email}',
    contactNoEmail: 'Aveți întrebări? Contactați {organisation}.',
    progressHeading: 'Parcursul dvs. de învățare',
    progress: 'Această insignă este un pas din parcursul de învățare „{pathway}”. Vedeți ce insigne aveți și ce urmează:',
    progressButton: 'Vedeți progresul dvs.',
  },

  expiry: {
    subject: 'Insigna dvs. expiră pe {date}: {badge}',
    heading: 'Insigna dvs. expiră în curând',
    intro: 'Insigna dvs. „{badge}” de la {organisation} este valabilă până la {date}.',
    renewHeading: 'Cum o reînnoiți',
    renewReassessment: 'Pentru a o reînnoi, susțineți din nou evaluarea la {organisation}.',
    renewDevelopment: 'Pentru a o reînnoi, arătați organizației {organisation} ce ați învățat de atunci, de exemplu un curs sau o instruire pe care ați urmat-o.',
    renewAsk: 'Întrebați {organisation} cum o puteți reînnoi.',
    after: 'După {date}, insigna dvs. arată în continuare ce ați învățat, dar apare ca expirată.',
    button: 'Deschideți insigna',
  },

  expiryNotice: {
    subject: 'Insigne care expiră în curând: {count}',
    heading: 'Insigne care expiră în curând',
    intro: 'Aceste insigne de la {organisation} expiră în curând. Cursanții au fost anunțați, atunci când adresa lor de e-mail este cunoscută.',
    item: '{badge}, acordată către {name}: valabilă până la {date}',
    itemNoName: '{badge}: valabilă până la {date}',
    renew: 'Pentru a reînnoi o insignă, căutați-o în consolă și alegeți „Reînnoiți”.',
    button: 'Deschideți consola',
  },

  invitation: {
    subject: 'Invitație de la {organisation}',
    heading: 'Ați primit o invitație',
    intro: '{organisation} vă invită pe site-ul său de insigne. Aici organizația își administrează insignele.',
    role: 'Rolul dvs.: {role}.',
    button: 'Acceptați invitația',
    expiry: 'Linkul funcționează o singură dată. Expiră pe {date}.',
    ignore: 'Nu vă așteptați la această invitație? Atunci puteți ignora acest e-mail.',
  },

  roles: {
    owner: { name: 'Proprietar', description: 'Administrați organizația: oamenii, setările și insignele.' },
    issuer: { name: 'Emitent', description: 'Acordați insigne cursanților.' },
    viewer: { name: 'Observator', description: 'Puteți vedea insignele și cursanții, dar nu puteți schimba nimic.' },
  },

  passwordReset: {
    subject: 'Alegeți o parolă nouă',
    heading: 'Alegeți o parolă nouă',
    intro: 'Cineva a cerut schimbarea parolei contului dvs. pe {site}.',
    button: 'Alegeți o parolă nouă',
    expiry: 'Linkul funcționează o singură dată. Expiră pe {date}.',
    ignore: 'Nu ați cerut acest lucru? Atunci ignorați acest e-mail. Parola dvs. rămâne aceeași.',
  },
};
