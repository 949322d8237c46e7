import type { Request } from 'express';
import type { Language } from '../../badge-classes/schema.js';
import { negotiateLanguage } from '../../pages/i18n.js';

/** The console's language: `?lang=`, else the browser's preference (Accept-Language), else English. */
export const consoleLanguage = (req: Request): Language => negotiateLanguage(req.query, req.get('accept-language'));
