import type { MailMessages } from './en.js';

export const es: MailMessages = {
  greeting: 'Hola, {name}:',
  greetingNoName: 'Hola:',
  linkFallback: 'Si el botón no funciona, copie este enlace en su navegador:',

  award: {
    subject: 'Su insignia de {organisation}: {badge}',
    heading: '¡Enhorabuena! Ha obtenido una insignia.',
    intro: '{organisation} le ha otorgado esta insignia:',
    awardedTo: 'Otorgada a: {name}',
    button: 'Abrir su insignia: {badge}',
    pageIntro: 'En la página de su insignia puede:',
    pageDownload: 'descargar la insignia',
    pagePdf: 'imprimirla como certificado en PDF',
    pageLinkedIn: 'añadirla a su perfil de LinkedIn',
    pageEmployer: 'enviar el enlace a un empleador, que podrá comprobar que la insignia es auténtica',
    attachment:
      'La insignia también va adjunta a este correo como imagen (badge.png). Guárdela bien: su certificado está dentro de la imagen.',
    whatIsHeading: '¿Qué es un Open Badge?',
    whatIs: 'Un Open Badge es un certificado digital. Muestra lo que ha aprendido. Cualquier persona puede comprobar que es auténtico.',
    contact: '¿Tiene alguna pregunta? Escriba a {organisation}: {email}',
    contactNoEmail: '¿Tiene alguna pregunta? Póngase en contacto con {organisation}.',
    progressHeading: 'Su itinerario de aprendizaje',
    progress: 'Esta insignia es un paso del itinerario de aprendizaje «{pathway}». Vea qué insignias tiene y qué viene después:',
    progressButton: 'Ver mi progreso',
  },

  expiry: {
    subject: 'Su insignia caduca el {date}: {badge}',
    heading: 'Su insignia caduca pronto',
    intro: 'Su insignia «{badge}» de {organisation} es válida hasta el {date}.',
    renewHeading: 'Cómo renovarla',
    renewReassessment: 'Para renovarla, vuelva a hacer la evaluación con {organisation}.',
    renewDevelopment: 'Para renovarla, muestre a {organisation} lo que ha aprendido desde entonces, por ejemplo un curso o una formación que haya hecho.',
    renewAsk: 'Pregunte a {organisation} cómo renovarla.',
    after: 'Después del {date}, su insignia sigue mostrando lo que aprendió, pero aparece como caducada.',
    button: 'Abrir su insignia',
  },

  expiryNotice: {
    subject: 'Insignias que caducan pronto: {count}',
    heading: 'Insignias que caducan pronto',
    intro: 'Estas insignias de {organisation} caducan pronto. Se ha avisado a sus alumnos cuando se conoce su dirección de correo electrónico.',
    item: '{badge}, otorgada a {name}: válida hasta el {date}',
    itemNoName: '{badge}: válida hasta el {date}',
    renew: 'Para renovar una insignia, búsquela en la consola y elija «Renovar».',
    button: 'Abrir la consola',
  },

  invitation: {
    subject: 'Invitación para unirse a {organisation}',
    heading: 'Ha recibido una invitación',
    intro: '{organisation} le invita a su web de insignias. Allí la organización gestiona sus insignias.',
    role: 'Su rol: {role}.',
    button: 'Aceptar la invitación',
    expiry: 'El enlace solo funciona una vez. Caduca el {date}.',
    ignore: '¿No esperaba esta invitación? Entonces puede ignorar este correo.',
  },

  roles: {
    owner: { name: 'Propietario', description: 'Gestiona la organización: las personas, los ajustes y las insignias.' },
    issuer: { name: 'Emisor', description: 'Otorga insignias a los alumnos.' },
    viewer: { name: 'Lector', description: 'Puede ver las insignias y los alumnos, pero no puede cambiar nada.' },
  },

  passwordReset: {
    subject: 'Elija una contraseña nueva',
    heading: 'Elija una contraseña nueva',
    intro: 'Alguien ha pedido cambiar la contraseña de su cuenta en {site}.',
    button: 'Elegir una contraseña nueva',
    expiry: 'El enlace solo funciona una vez. Caduca el {date}.',
    ignore: '¿No lo ha pedido usted? Entonces ignore este correo. Su contraseña seguirá siendo la misma.',
  },
};
