import type { MailMessages } from './en.js';

export const fr: MailMessages = {
  greeting: 'Bonjour {name},',
  greetingNoName: 'Bonjour,',
  linkFallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :',

  award: {
    subject: 'Votre badge de {organisation} : {badge}',
    heading: 'Bravo ! Vous avez obtenu un badge.',
    intro: '{organisation} vous a décerné ce badge :',
    awardedTo: 'Décerné à : {name}',
    button: 'Ouvrir votre badge : {badge}',
    pageIntro: 'Sur la page de votre badge, vous pouvez :',
    pageDownload: 'télécharger le badge',
    pagePdf: "l'imprimer comme attestation en PDF",
    pageLinkedIn: "l'ajouter à votre profil LinkedIn",
    pageEmployer: 'envoyer le lien à un employeur, qui pourra vérifier que le badge est authentique',
    attachment:
      "Le badge est aussi joint à cet e-mail, sous forme d'image (badge.png). Gardez-la bien : votre attestation est enregistrée dans l'image.",
    whatIsHeading: "Qu'est-ce qu'un Open Badge ?",
    whatIs: "Un Open Badge est une attestation numérique. Il montre ce que vous avez appris. Tout le monde peut vérifier qu'il est authentique.",
    contact: 'Une question ? Écrivez à {organisation} : {email}',
    contactNoEmail: 'Une question ? Contactez {organisation}.',
    progressHeading: "Votre parcours d'apprentissage",
    progress: "Ce badge est une étape du parcours d'apprentissage « {pathway} ». Voyez quels badges vous avez et ce qui vient ensuite :",
    progressButton: 'Voir mes progrès',
  },

  expiry: {
    subject: 'Votre badge expire le {date} : {badge}',
    heading: 'Votre badge expire bientôt',
    intro: "Votre badge « {badge} », décerné par {organisation}, est valable jusqu'au {date}.",
    renewHeading: 'Comment le renouveler',
    renewReassessment: "Pour le renouveler, repassez l'évaluation auprès de {organisation}.",
    renewDevelopment: 'Pour le renouveler, montrez à {organisation} ce que vous avez appris depuis, par exemple grâce à un cours ou une formation.',
    renewAsk: 'Demandez à {organisation} comment le renouveler.',
    after: 'Après le {date}, votre badge montre toujours ce que vous avez appris, mais il apparaît comme expiré.',
    button: 'Ouvrir votre badge',
  },

  expiryNotice: {
    subject: 'Badges qui expirent bientôt : {count}',
    heading: 'Badges qui expirent bientôt',
    intro: 'Ces badges de {organisation} expirent bientôt. Leurs apprenants ont été prévenus, quand leur adresse e-mail est connue.',
    item: "{badge}, décerné à {name} : valable jusqu'au {date}",
    itemNoName: "{badge} : valable jusqu'au {date}",
    renew: 'Pour renouveler un badge, trouvez-le dans la console et choisissez « Renouveler ».',
    button: 'Ouvrir la console',
  },

  invitation: {
    subject: 'Invitation à rejoindre {organisation}',
    heading: 'Vous avez reçu une invitation',
    intro: "{organisation} vous invite sur son site de badges. C'est là que l'organisation gère ses badges.",
    role: 'Votre rôle : {role}.',
    button: "Accepter l'invitation",
    expiry: "Le lien ne fonctionne qu'une seule fois. Il expire le {date}.",
    ignore: "Vous n'attendiez pas cette invitation ? Vous pouvez ignorer cet e-mail.",
  },

  roles: {
    owner: { name: 'Propriétaire', description: "Vous gérez l'organisation : les personnes, les réglages et les badges." },
    issuer: { name: 'Émetteur', description: 'Vous décernez des badges aux apprenants.' },
    viewer: { name: 'Lecteur', description: 'Vous pouvez voir les badges et les apprenants, mais vous ne pouvez rien modifier.' },
  },

  passwordReset: {
    subject: 'Choisissez un nouveau mot de passe',
    heading: 'Choisissez un nouveau mot de passe',
    intro: "Quelqu'un a demandé à changer le mot de passe de votre compte sur {site}.",
    button: 'Choisir un nouveau mot de passe',
    expiry: "Le lien ne fonctionne qu'une seule fois. Il expire le {date}.",
    ignore: "Vous n'avez rien demandé ? Ignorez cet e-mail. Votre mot de passe ne change pas.",
  },
};
