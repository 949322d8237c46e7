import type { MailMessages } from './en.js';

export const de: MailMessages = {
  greeting: 'Guten Tag {name},',
  greetingNoName: 'Guten Tag,',
  linkFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',

  award: {
    subject: 'Ihr Badge von {organisation}: {badge}',
    heading: 'Herzlichen Glückwunsch! Sie haben ein Badge erhalten.',
    intro: '{organisation} hat Ihnen dieses Badge verliehen:',
    awardedTo: 'Verliehen an: {name}',
    button: 'Ihr Badge öffnen: {badge}',
    pageIntro: 'Auf der Seite Ihres Badges können Sie:',
    pageDownload: 'das Badge herunterladen',
    pagePdf: 'es als PDF-Zertifikat ausdrucken',
    pageLinkedIn: 'es zu Ihrem LinkedIn-Profil hinzufügen',
    pageEmployer: 'den Link an Arbeitgeber schicken, die dann prüfen können, ob das Badge echt ist',
    attachment:
      'Das Badge ist auch als Bild an diese E-Mail angehängt (badge.png). Bewahren Sie es gut auf: Ihr Zertifikat ist in dem Bild gespeichert.',
    whatIsHeading: 'Was ist ein Open Badge?',
    whatIs: 'Ein Open Badge ist ein digitales Zertifikat. Es zeigt, was Sie gelernt haben. Jeder kann prüfen, ob es echt ist.',
    contact: 'Haben Sie Fragen? Schreiben Sie an {organisation}: {email}',
    contactNoEmail: 'Haben Sie Fragen? Wenden Sie sich an {organisation}.',
    progressHeading: 'Ihr Lernpfad',
    progress: 'Dieses Badge ist ein Schritt auf dem Lernpfad „{pathway}“. Sehen Sie, welche Badges Sie schon haben und was als Nächstes kommt:',
    progressButton: 'Meinen Fortschritt ansehen',
  },

  expiry: {
    subject: 'Ihr Badge läuft am {date} ab: {badge}',
    heading: 'Ihr Badge läuft bald ab',
    intro: 'Ihr Badge „{badge}“ von {organisation} ist gültig bis {date}.',
    renewHeading: 'So erneuern Sie es',
    renewReassessment: 'Um es zu erneuern, legen Sie die Prüfung bei {organisation} noch einmal ab.',
    renewDevelopment: 'Um es zu erneuern, zeigen Sie {organisation}, was Sie seitdem gelernt haben, zum Beispiel einen Kurs oder eine Schulung, die Sie besucht haben.',
    renewAsk: 'Fragen Sie {organisation}, wie Sie es erneuern können.',
    after: 'Nach dem {date} zeigt Ihr Badge weiterhin, was Sie gelernt haben, aber es wird als abgelaufen angezeigt.',
    button: 'Ihr Badge öffnen',
  },

  expiryNotice: {
    subject: 'Badges, die bald ablaufen: {count}',
    heading: 'Badges, die bald ablaufen',
    intro: 'Diese Badges von {organisation} laufen bald ab. Die Lernenden wurden benachrichtigt, sofern ihre E-Mail-Adresse bekannt ist.',
    item: '{badge}, verliehen an {name}: gültig bis {date}',
    itemNoName: '{badge}: gültig bis {date}',
    renew: 'Um ein Badge zu erneuern, suchen Sie es in der Konsole und wählen Sie „Erneuern“.',
    button: 'Konsole öffnen',
  },

  invitation: {
    subject: 'Einladung von {organisation}',
    heading: 'Sie haben eine Einladung erhalten',
    intro: '{organisation} lädt Sie auf die Badge-Website ein. Dort werden die Badges der Organisation verwaltet.',
    role: 'Ihre Rolle: {role}.',
    button: 'Einladung annehmen',
    expiry: 'Der Link funktioniert nur einmal. Er ist gültig bis {date}.',
    ignore: 'Haben Sie diese Einladung nicht erwartet? Dann können Sie diese E-Mail einfach ignorieren.',
  },

  roles: {
    owner: { name: 'Eigentümer/in', description: 'Sie verwalten die Organisation: Personen, Einstellungen und Badges.' },
    issuer: { name: 'Aussteller/in', description: 'Sie verleihen Badges an Lernende.' },
    viewer: { name: 'Nur lesen', description: 'Sie können Badges und Lernende sehen, aber nichts ändern.' },
  },

  passwordReset: {
    subject: 'Neues Passwort wählen',
    heading: 'Neues Passwort wählen',
    intro: 'Jemand möchte das Passwort Ihres Kontos bei {site} ändern.',
    button: 'Neues Passwort wählen',
    expiry: 'Der Link funktioniert nur einmal. Er ist gültig bis {date}.',
    ignore: 'Haben Sie das nicht selbst angefordert? Dann ignorieren Sie diese E-Mail. Ihr Passwort bleibt gleich.',
  },
};
