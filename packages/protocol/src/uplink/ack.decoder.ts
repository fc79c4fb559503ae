import type { CommandName } from '../keywords.ts';
import { accept, type MessageResult } from './decoder-result.ts';

/**
 * A watch answering one of our commands: the bare keyword (`[3G*..*0006*UPLOAD]`), a result
 * (`PHBX,1`), a value (`VERNO,G29_BASE_V1.00...`), or the whole command echoed back
 * (`SOS1,123456789`, Traccar issue #2285).
 */
export function decodeCommandAck(
  keyword: string,
  command: CommandName | 'covertListening',
  values: readonly string[],
): MessageResult {
  const first = values.length === 1 ? values[0] : undefined;
  return accept({
    type: 'commandAck',
    keyword,
    command,
    values,
    isSuccess: first === '1' ? true : first === '0' ? false : undefined,
  });
}
