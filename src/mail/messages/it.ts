import type { MailMessages } from './en.js';

export const it: MailMessages = {
  greeting: 'Ciao {name},',
  greetingNoName: 'Ciao,',
  linkFallback: 'Se il pulsante non funziona, copia questo link nel tuo browser:',

  award: {
    subject: 'Il tuo badge da {organisation}: {badge}',
    heading: 'Complimenti! Hai ottenuto un badge.',
    intro: '{organisation} ti ha assegnato questo badge:',
    awardedTo: 'Rilasciato a: {name}',
    button: 'Apri il tuo badge: {badge}',
    pageIntro: 'Nella pagina del tuo badge puoi:',
    pageDownload: 'scaricare il badge',
    pagePdf: 'stamparlo come attestato in PDF',
    pageLinkedIn: 'aggiungerlo al tuo profilo LinkedIn',
    pageEmployer: 'mandare il link a un datore di lavoro, che può controllare che il badge sia vero',
    attachment:
      "Il badge è anche allegato a questa e-mail come immagine (badge.png). Conservala con cura: dentro l'immagine c'è il tuo attestato.",
    whatIsHeading: "Che cos'è un Open Badge?",
    whatIs: 'Un Open Badge è un attestato digitale. Mostra che cosa hai imparato. Chiunque può controllare che sia vero.',
    contact: 'Hai una domanda? Scrivi a {organisation}: {email}',
    contactNoEmail: 'Hai una domanda? Contatta {organisation}.',
    progressHeading: 'Il tuo percorso di apprendimento',
    progress: 'Questo badge è una tappa del percorso di apprendimento «{pathway}». Guarda quali badge hai e che cosa viene dopo:',
    progressButton: 'Guarda i tuoi progressi',
  },

  expiry: {
    subject: 'Il tuo badge scade il {date}: {badge}',
    heading: 'Il tuo badge scade presto',
    intro: 'Il tuo badge «{badge}», rilasciato da {organisation}, è valido fino al {date}.',
    renewHeading: 'Come rinnovarlo',
    renewReassessment: 'Per rinnovarlo, rifai la valutazione con {organisation}.',
    renewDevelopment: 'Per rinnovarlo, mostra a {organisation} che cosa hai imparato da allora, ad esempio un corso o una formazione che hai seguito.',
    renewAsk: 'Chiedi a {organisation} come rinnovarlo.',
    after: 'Dopo il {date} il tuo badge mostra ancora che cosa hai imparato, ma risulta scaduto.',
    button: 'Apri il tuo badge',
  },

  expiryNotice: {
    subject: 'Badge in scadenza: {count}',
    heading: 'Badge in scadenza',
    intro: 'Questi badge di {organisation} scadono presto. I loro allievi sono stati avvisati, se si conosce il loro indirizzo e-mail.',
    item: '{badge}, assegnato a {name}: valido fino al {date}',
    itemNoName: '{badge}: valido fino al {date}',
    renew: 'Per rinnovare un badge, cercalo nella console e scegli «Rinnova».',
    button: 'Apri la console',
  },

  invitation: {
    subject: 'Invito a far parte di {organisation}',
    heading: 'Hai ricevuto un invito',
    intro: "{organisation} ti invita sul suo sito dei badge. Lì l'organizzazione gestisce i suoi badge.",
    role: 'Il tuo ruolo: {role}.',
    button: "Accetta l'invito",
    expiry: 'Il link funziona una sola volta. Scade il {date}.',
    ignore: 'Non aspettavi questo invito? Allora puoi ignorare questa e-mail.',
  },

  roles: {
    owner: { name: 'Responsabile', description: "Gestisci l'organizzazione: le persone, le impostazioni e i badge." },
    issuer: { name: 'Emittente', description: 'Assegni i badge agli allievi.' },
    viewer: { name: 'Sola lettura', description: 'Puoi vedere i badge e gli allievi, ma non puoi cambiare nulla.' },
  },

  passwordReset: {
    subject: 'Scegli una nuova password',
    heading: 'Scegli una nuova password',
    intro: 'Qualcuno ha chiesto di cambiare la password del tuo account su {site}.',
    button: 'Scegli una nuova password',
    expiry: 'Il link funziona una sola volta. Scade il {date}.',
    ignore: 'Non hai chiesto tu di cambiarla? Allora ignora questa e-mail. La tua password resta la stessa.',
  },
};
