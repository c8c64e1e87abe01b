/**
 * Structured logs: one JSON object per line on stderr (stdout stays free). Never a token: callers
 * pass facts (request id, status, reason), and the fields below are the only ones written.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes one log line. */
export type Logger = (
  level: LogLevel,
  msg: string,
  fields?: Record<string, string | number | boolean | undefined>,
) => void;

/** A logger to a stream (stderr by default). */
export function createLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return (level, msg, fields = {}) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = () => undefined;
