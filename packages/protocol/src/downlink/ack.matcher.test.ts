import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame } from '../uplink/frame.decoder.ts';
import type { CommandAck } from '../uplink/messages.ts';
import {
  ACK_TIMEOUT_SECONDS,
  ackTimeoutSeconds,
  expectsAck,
  matchAck,
  type PendingCommand,
} from './ack.matcher.ts';
import { COMMAND_NAMES, sampleCommand } from '../testing/command-arbitraries.ts';
import type { Command } from './command.model.ts';
import { loadVectors } from '../testing/vectors.ts';

function ack(
  command: CommandAck['command'],
  keyword: string,
  values: string[] = [],
  isSuccess?: boolean,
): CommandAck {
  return { type: 'commandAck', keyword, command, values, isSuccess };
}

const upload = (intervalSeconds: number): Command => ({
  type: 'setUploadInterval',
  intervalSeconds,
});
const sos1 = (phoneNumber: string): Command => ({ type: 'setSosNumber1', phoneNumber });
const addEntry: Command = {
  type: 'setPhonebookEntry',
  slot: 3,
  name: 'Oma',
  phoneNumber: '0301234',
};
const deleteEntry: Command = { type: 'deletePhonebookEntry', slot: 4 };
const voice: Command = { type: 'voiceMessage', audio: Uint8Array.of(1, 2, 3) };
const removeFriends: Command = { type: 'removeFriends' };

const pending = (...commands: Command[]): PendingCommand[] =>
  commands.map((command, i) => ({ id: `c${i}`, command }));

test('a bare keyword answers the oldest pending command of its kind', () => {
  const queue = pending(sos1('123'), upload(600), upload(60));
  assert.equal(matchAck(queue, ack('setUploadInterval', 'UPLOAD')), 'c1');
  assert.equal(matchAck(queue.slice(2), ack('setUploadInterval', 'UPLOAD')), 'c2');
});

test('a full echo of the command answers it like a bare keyword (issue #2285)', () => {
  const queue = pending(upload(600), sos1('123456789'));
  assert.equal(matchAck(queue, ack('setSosNumber1', 'SOS1', ['123456789'])), 'c1');
});

test('a full echo matches on the kind, not the echoed values: the oldest of the kind wins', () => {
  const queue = pending(sos1('111'), sos1('123456789'));
  assert.equal(matchAck(queue, ack('setSosNumber1', 'SOS1', ['123456789'])), 'c0');
});

test('TK,1 and TK,0 both answer the voice message; isSuccess tells them apart', () => {
  const queue = pending(upload(600), voice);
  assert.equal(matchAck(queue, ack('voiceMessage', 'TK', ['1'], true)), 'c1');
  assert.equal(matchAck(queue, ack('voiceMessage', 'TK', ['0'], false)), 'c1');
});

test('PHBX,<status> answers a pending DPHBX, oldest first among PHBX and DPHBX', () => {
  assert.equal(
    matchAck(pending(upload(60), deleteEntry), ack('setPhonebookEntry', 'PHBX', ['1'], true)),
    'c1',
  );
  assert.equal(
    matchAck(pending(deleteEntry, addEntry), ack('setPhonebookEntry', 'PHBX', ['1'], true)),
    'c0',
  );
  assert.equal(
    matchAck(pending(addEntry, deleteEntry), ack('setPhonebookEntry', 'PHBX', ['0'], false)),
    'c0',
  );
});

test('a DPHBX acknowledgement does not answer a PHBX command', () => {
  assert.equal(
    matchAck(pending(addEntry), ack('deletePhonebookEntry', 'DPHBX', ['1'], true)),
    undefined,
  );
});

test('phonebook pages are told apart: PHB answers PHB only, never PHB2 or PHBX', () => {
  const page2: Command = { type: 'setPhonebook2', entries: [null] };
  const page1: Command = { type: 'setPhonebook1', entries: [null] };
  assert.equal(matchAck(pending(page2, addEntry, page1), ack('setPhonebook1', 'PHB')), 'c2');
});

test('nothing matches an acknowledgement of another kind, or an empty queue', () => {
  assert.equal(matchAck(pending(upload(600), voice), ack('locateNow', 'CR')), undefined);
  assert.equal(matchAck([], ack('setUploadInterval', 'UPLOAD')), undefined);
});

test('a covert-listening acknowledgement matches nothing: Kinwatch never sent MONITOR', () => {
  const everyKind = COMMAND_NAMES.map((name, i) => ({ id: `c${i}`, command: sampleCommand(name) }));
  assert.equal(matchAck(everyKind, ack('covertListening', 'MONITOR')), undefined);
  assert.equal(matchAck(everyKind, ack('covertListening', 'MONITOR', ['13600000000'])), undefined);
});

test('PPR is never acknowledged: expectsAck says so, and no acknowledgement matches it', () => {
  assert.equal(expectsAck(removeFriends), false);
  assert.equal(ackTimeoutSeconds(removeFriends), undefined);
  assert.equal(matchAck(pending(removeFriends), ack('removeFriends', 'PPR')), undefined);
});

test('every other command expects an acknowledgement within ACK_TIMEOUT_SECONDS', () => {
  assert.equal(ACK_TIMEOUT_SECONDS, 60);
  for (const name of COMMAND_NAMES.filter((n) => n !== 'removeFriends')) {
    assert.equal(expectsAck(sampleCommand(name)), true, name);
    assert.equal(ackTimeoutSeconds(sampleCommand(name)), ACK_TIMEOUT_SECONDS);
  }
});

// The acknowledgements captured in vectors.tsv, decoded by the uplink decoder, each answer a
// pending command of the kind they acknowledge and leave a command of another kind alone.
for (const row of loadVectors().filter(
  (r) => r.direction === 'up' && r.expect.get('role') === 'ack',
)) {
  test(`vectors.tsv line ${row.line}: ${row.text} answers its command`, () => {
    const decoded = decodeFrame(row.bytes);
    assert.ok(decoded.ok && decoded.frame.message.type === 'commandAck');
    const message = decoded.frame.message;
    if (message.command === 'covertListening') {
      assert.equal(matchAck(pending(upload(60)), message), undefined);
      return;
    }
    const command = sampleCommand(message.command);
    const decoy: Command = message.command === 'locateNow' ? upload(60) : { type: 'locateNow' };
    assert.equal(
      matchAck(
        [
          { id: 'decoy', command: decoy },
          { id: 'sent', command },
        ],
        message,
      ),
      'sent',
    );
  });
}
