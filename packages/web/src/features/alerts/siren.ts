/**
 * The SOS alarm: a two-tone siren made with the Web Audio API (no audio file to fetch or cache),
 * with vibration where the device has it. Browsers keep an AudioContext suspended until the
 * page has had a user gesture; `isBlocked` says so, and `resume()` from a tap unblocks it.
 */
export interface Siren {
  readonly isBlocked: () => boolean;
  /** Call from a user gesture (a tap) to start the sound a browser held back. */
  readonly resume: () => Promise<void>;
  /** Called whenever the blocked state changes. */
  onBlockedChange: ((isBlocked: boolean) => void) | null;
  readonly stop: () => void;
}

/** Long buzz, short pause: distinct from a call or a message. */
const VIBRATION_PATTERN = [600, 200, 600, 200, 600, 800];
const VIBRATION_EVERY_MS = 3000;

type AudioContextClass = typeof AudioContext;

function audioContextClass(): AudioContextClass | undefined {
  const scope = window as unknown as {
    AudioContext?: AudioContextClass;
    webkitAudioContext?: AudioContextClass;
  };
  return scope.AudioContext ?? scope.webkitAudioContext;
}

function startVibration(): () => void {
  if (typeof navigator.vibrate !== 'function') return () => undefined;
  const vibrate = () => {
    try {
      navigator.vibrate(VIBRATION_PATTERN);
    } catch {
      // Some browsers refuse vibration without a gesture; the sound and screen still alert.
    }
  };
  vibrate();
  const timer = setInterval(vibrate, VIBRATION_EVERY_MS);
  return () => {
    clearInterval(timer);
    try {
      navigator.vibrate(0);
    } catch {
      // Nothing to stop.
    }
  };
}

/**
 * Starts the siren. A sawtooth tone swept between 650 and 1250 Hz by a slow LFO, as a
 * police-style wail, which stays audible through a pocket and over a small phone speaker.
 */
export function startSiren(): Siren {
  const stopVibration = startVibration();
  const Context = audioContextClass();
  let context: AudioContext | null = null;
  const siren: Siren = {
    // Safari also has "interrupted"; anything but running means no sound is heard.
    isBlocked: () => context !== null && context.state !== 'running',
    resume: async () => {
      if (context !== null && context.state !== 'running') await context.resume();
    },
    onBlockedChange: null,
    stop: () => {
      stopVibration();
      const current = context;
      context = null;
      if (current !== null) {
        current.onstatechange = null;
        current.close().catch(() => undefined);
      }
    },
  };
  if (Context === undefined) return siren;
  try {
    context = new Context();
  } catch {
    return siren;
  }
  const tone = context.createOscillator();
  tone.type = 'sawtooth';
  tone.frequency.value = 950;
  const sweep = context.createOscillator();
  sweep.type = 'triangle';
  sweep.frequency.value = 0.8;
  const sweepDepth = context.createGain();
  sweepDepth.gain.value = 300;
  sweep.connect(sweepDepth).connect(tone.frequency);
  const volume = context.createGain();
  volume.gain.value = 0.35;
  tone.connect(volume).connect(context.destination);
  tone.start();
  sweep.start();
  const created = context;
  created.onstatechange = () => {
    siren.onBlockedChange?.(created.state !== 'running');
  };
  // Some browsers create the context running only after a resume() even with a gesture behind.
  created.resume().catch(() => undefined);
  return siren;
}
