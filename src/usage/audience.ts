/**
 * Which requests count as a person's: not HEAD (link checkers, caches), and not the obvious robots:
 * crawlers, link previews (LinkedIn, WhatsApp, Slack…), monitors and headless browsers. A client
 * that sends no User-Agent is counted out too; every browser sends one. Read from the request's
 * method and User-Agent only, and nothing is kept of either.
 */
const ROBOT = /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|embedly|headless|lighthouse|monitor|pingdom|uptime|validator|bingpreview/i;

export interface RequestSignals {
  method: string;
  userAgent: string | undefined;
}

export const isCountable = ({ method, userAgent }: RequestSignals): boolean =>
  (method === 'GET' || method === 'POST') && userAgent !== undefined && userAgent !== '' && !ROBOT.test(userAgent);
