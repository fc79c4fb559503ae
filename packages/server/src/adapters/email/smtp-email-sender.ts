import type { EmailMessage, EmailSender } from '@kinwatch/core';
import { createTransport, type Transporter } from 'nodemailer';

export interface SmtpEmailSenderOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://...:465`. */
  readonly url: string;
  /** The From header, as in `Kinwatch <kinwatch@example.org>`. */
  readonly from: string;
}

/** E-mail over SMTP with nodemailer; one pooled connection is reused between messages. */
export class SmtpEmailSender implements EmailSender {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(options: SmtpEmailSenderOptions) {
    this.#transport = createTransport({
      url: options.url,
      pool: true,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.#from = options.from;
  }

  async send(message: EmailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }

  close(): void {
    this.#transport.close();
  }
}
