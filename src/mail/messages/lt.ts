import type { MailMessages } from './en.js';

/**
 * Lithuanian addresses a person in the vocative ("Jonai", "Rūta"), which a name from a form does
 * not give; the greeting therefore leaves the name out, and the name stands after a colon.
 */
export const lt: MailMessages = {
  greeting: 'Sveiki,',
  greetingNoName: 'Sveiki,',
  linkFallback: 'Jei mygtukas neveikia, nukopijuokite šią nuorodą į interneto naršyklę:',

  award: {
    subject: '{organisation} suteikė jums ženkliuką: {badge}',
    heading: 'Sveikiname! Jūs pelnėte ženkliuką.',
    intro: '{organisation} suteikė jums šį ženkliuką:',
    awardedTo: 'Suteikta: {name}',
    button: 'Atidaryti ženkliuką: {badge}',
    pageIntro: 'Savo ženkliuko puslapyje galite:',
    pageDownload: 'atsisiųsti ženkliuką',
    pagePdf: 'atsispausdinti jį kaip PDF pažymėjimą',
    pageLinkedIn: 'pridėti jį prie savo „LinkedIn“ profilio',
    pageEmployer: 'nusiųsti nuorodą darbdaviui – jis galės patikrinti, ar ženkliukas tikras',
    attachment:
      'Ženkliukas taip pat pridėtas prie šio laiško kaip paveikslėlis (badge.png). Saugokite jį: paveikslėlyje įrašytas jūsų pažymėjimas.',
    whatIsHeading: 'Kas yra „Open Badge“?',
    whatIs: '„Open Badge“ – tai skaitmeninis pažymėjimas. Jis parodo, ko išmokote. Bet kas gali patikrinti, ar jis tikras.',
    contact: 'Turite klausimų? Kreipkitės: {organisation}, {email}',
    contactNoEmail: 'Turite klausimų? Kreipkitės: {organisation}.',
    progressHeading: 'Jūsų mokymosi kelias',
    progress: 'Šis ženkliukas yra vienas iš mokymosi kelio „{pathway}“ žingsnių. Pažiūrėkite, kokius ženkliukus jau turite ir kas laukia toliau:',
    progressButton: 'Peržiūrėti savo pažangą',
  },

  expiry: {
    subject: 'Jūsų ženkliuko galiojimas baigiasi {date}: {badge}',
    heading: 'Jūsų ženkliuko galiojimas greitai baigsis',
    intro: 'Jūsų ženkliukas „{badge}“ galioja iki {date}. Jį suteikė {organisation}.',
    renewHeading: 'Kaip jį atnaujinti',
    renewReassessment: 'Norėdami jį atnaujinti, turėsite dar kartą atlikti vertinimą. Jį organizuoja {organisation}.',
    renewDevelopment: 'Norėdami jį atnaujinti, parodykite organizacijai {organisation}, ko išmokote nuo to laiko, pavyzdžiui, kokius kursus ar mokymus baigėte.',
    renewAsk: 'Paklauskite, kaip jį atnaujinti. Kreipkitės: {organisation}.',
    after: 'Po {date} ženkliukas vis tiek rodys, ko išmokote, tačiau bus pažymėtas kaip nebegaliojantis.',
    button: 'Atidaryti ženkliuką',
  },

  expiryNotice: {
    subject: 'Ženkliukai, kurių galiojimas greitai baigsis: {count}',
    heading: 'Ženkliukai, kurių galiojimas greitai baigsis',
    intro: 'Greitai baigsis šių ženkliukų, kuriuos suteikė {organisation}, galiojimas. Besimokantiesiems apie tai pranešta, jei žinomas jų el. pašto adresas.',
    item: '{badge} (suteikta: {name}) – galioja iki {date}',
    itemNoName: '{badge} – galioja iki {date}',
    renew: 'Norėdami atnaujinti ženkliuką, suraskite jį valdymo skydelyje ir pasirinkite „Atnaujinti“.',
    button: 'Atidaryti valdymo skydelį',
  },

  invitation: {
    subject: '{organisation} kviečia jus prisijungti',
    heading: 'Jūs gavote kvietimą',
    intro: '{organisation} kviečia jus į savo ženkliukų svetainę. Joje organizacija tvarko savo ženkliukus.',
    role: 'Jūsų vaidmuo: {role}.',
    button: 'Priimti kvietimą',
    expiry: 'Nuoroda veikia tik vieną kartą. Ji galioja iki {date}.',
    ignore: 'Nelaukėte šio kvietimo? Tuomet tiesiog nekreipkite dėmesio į šį laišką.',
  },

  roles: {
    owner: { name: 'Savininkas', description: 'Jūs tvarkote organizaciją: jos žmones, nustatymus ir ženkliukus.' },
    issuer: { name: 'Išdavėjas', description: 'Jūs suteikiate ženkliukus besimokantiesiems.' },
    viewer: { name: 'Stebėtojas', description: 'Galite matyti ženkliukus ir besimokančiuosius, bet nieko negalite keisti.' },
  },

  passwordReset: {
    subject: 'Susikurkite naują slaptažodį',
    heading: 'Susikurkite naują slaptažodį',
    intro: 'Kažkas paprašė pakeisti jūsų paskyros slaptažodį svetainėje {site}.',
    button: 'Sukurti naują slaptažodį',
    expiry: 'Nuoroda veikia tik vieną kartą. Ji galioja iki {date}.',
    ignore: 'Jei to neprašėte, tiesiog nekreipkite dėmesio į šį laišką. Jūsų slaptažodis nepasikeis.',
  },
};
