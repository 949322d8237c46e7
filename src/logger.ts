import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The one logger factory. Authorization headers never reach the logs. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secretKeyMultibase', '*.d'], remove: true },
    },
    destination,
  );
}
