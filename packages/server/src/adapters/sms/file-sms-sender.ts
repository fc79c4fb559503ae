import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SmsDeliveryError, type Clock, type SmsMessage, type SmsSender } from '@kinwatch/core';

/** The outbox's name in the data directory. */
export const SMS_OUTBOX_FILE = 'sms-outbox.jsonl';

const wallClock: Clock = { now: () => new Date() };

/**
 * The default provider: appends each message as one JSON line `{"at","to","text"}` to a file
 * that only the server's user may read (0600), where a self-hoster without an SMS gateway, or
 * a test, reads the codes. Appends run one after another, so lines never interleave.
 */
export class FileSmsSender implements SmsSender {
  readonly #path: string;
  readonly #clock: Clock;
  #tail: Promise<void> = Promise.resolve();
  #isDirectoryReady = false;

  constructor(path: string, clock: Clock = wallClock) {
    this.#path = path;
    this.#clock = clock;
  }

  send(message: SmsMessage): Promise<void> {
    const line = `${JSON.stringify({ at: this.#clock.now().toISOString(), to: message.to, text: message.text })}\n`;
    const appended = this.#tail.then(() => this.#append(line));
    this.#tail = appended.catch(() => undefined);
    return appended;
  }

  async #append(line: string): Promise<void> {
    try {
      if (!this.#isDirectoryReady) {
        await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
        this.#isDirectoryReady = true;
      }
      // The mode applies when the file is created; codes in it are secrets.
      await appendFile(this.#path, line, { mode: 0o600, flag: 'a' });
    } catch (error) {
      throw new SmsDeliveryError(`could not append to the SMS outbox file (${errorCode(error)})`);
    }
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}
