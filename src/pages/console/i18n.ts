import type { Language } from '../../badge-classes/schema.js';
import { de } from './messages/de.js';
import { en, type ConsoleMessages } from './messages/en.js';
import { es } from './messages/es.js';
import { fr } from './messages/fr.js';
import { it } from './messages/it.js';
import { lt } from './messages/lt.js';
import { ro } from './messages/ro.js';

export type { ConsoleMessages };

/** Every string of the console, per language; `ConsoleMessages` makes each language carry every key. */
export const CONSOLE_MESSAGES: Record<Language, ConsoleMessages> = { en, it, lt, ro, fr, es, de };
