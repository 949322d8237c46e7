/**
 * English e-mail texts: the reference every other language must match key for key (`MailMessages`
 * is `typeof en`). Readers are care workers and informal carers, many with little formal schooling:
 * short sentences, everyday words, no technical terms. `{name}`-style placeholders are filled by
 * `fill()`; each translation keeps the same ones.
 */
export const en = {
  greeting: 'Hello {name},',
  greetingNoName: 'Hello,',
  linkFallback: 'If the button does not work, copy this link into your web browser:',

  award: {
    subject: 'Your badge from {organisation}: {badge}',
    heading: 'Well done! You have earned a badge.',
    intro: '{organisation} has given you this badge:',
    awardedTo: 'Awarded to: {name}',
    button: 'Open your badge: {badge}',
    pageIntro: 'On your badge page you can:',
    pageDownload: 'download the badge',
    pagePdf: 'print it as a PDF certificate',
    pageLinkedIn: 'add it to your LinkedIn profile',
    pageEmployer: 'send the link to an employer, who can check that the badge is real',
    attachment: 'The badge is also attached to this e-mail as a picture (badge.png). Keep it safe: your certificate is stored inside the picture.',
    whatIsHeading: 'What is an Open Badge?',
    whatIs: 'An Open Badge is a digital certificate. It shows what you have learned. Anyone can check that it is real.',
    contact: 'Do you have a question? Write to {organisation}: {email}',
    contactNoEmail: 'Do you have a question? Please contact {organisation}.',
    progressHeading: 'Your learning pathway',
    progress: 'This badge is a step on the learning pathway “{pathway}”. See which badges you have and what comes next:',
    progressButton: 'See my progress',
  },

  expiry: {
    subject: 'Your badge expires on {date}: {badge}',
    heading: 'Your badge expires soon',
    intro: 'Your badge “{badge}” from {organisation} is valid until {date}.',
    renewHeading: 'How to renew it',
    renewReassessment: 'To renew it, you take the assessment again with {organisation}.',
    renewDevelopment: 'To renew it, you show {organisation} what you have learned since, for example a course or a training you took.',
    renewAsk: 'Ask {organisation} how to renew it.',
    after: 'After {date} your badge still shows what you learned, but it is shown as expired.',
    button: 'Open your badge',
  },

  expiryNotice: {
    subject: 'Badges that expire soon: {count}',
    heading: 'Badges that expire soon',
    intro: 'These badges from {organisation} expire soon. Their learners were told, when their e-mail address is known.',
    item: '{badge}, awarded to {name}: valid until {date}',
    itemNoName: '{badge}: valid until {date}',
    renew: 'To renew a badge, find it in the console and choose “Renew”.',
    button: 'Open the console',
  },

  invitation: {
    subject: 'Invitation to join {organisation}',
    heading: 'You have an invitation',
    intro: '{organisation} invites you to its badge website. There, the organisation manages its badges.',
    role: 'Your role: {role}.',
    button: 'Accept the invitation',
    expiry: 'The link works only once. It expires on {date}.',
    ignore: 'Were you not expecting this invitation? Then you can ignore this e-mail.',
  },

  roles: {
    owner: { name: 'Owner', description: 'You manage the organisation: its people, its settings and its badges.' },
    issuer: { name: 'Issuer', description: 'You give badges to learners.' },
    viewer: { name: 'Viewer', description: 'You can see badges and learners, but you cannot change anything.' },
  },

  passwordReset: {
    subject: 'Choose a new password',
    heading: 'Choose a new password',
    intro: 'Someone asked to change the password of your account on {site}.',
    button: 'Choose a new password',
    expiry: 'The link works only once. It expires on {date}.',
    ignore: 'Did you not ask for this? Then ignore this e-mail. Your password stays the same.',
  },
};

export type MailMessages = typeof en;
