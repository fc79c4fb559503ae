import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button.tsx';
import { Banner } from '../../ui/states.tsx';
import { openQrReader } from './qr-reader.ts';
import { readingOf } from './qr-reading.ts';

export type ScanProblem = 'insecure' | 'unsupported' | 'denied' | 'noCamera' | 'failed';

const SCAN_INTERVAL_MS = 250;

/**
 * Why scanning cannot even start on this browser, or null when it may. Reading the code needs
 * nothing more: browsers without a QR reader of their own get one with the scanner.
 */
export function scanProblemOfBrowser(): ScanProblem | null {
  if (!window.isSecureContext) return 'insecure';
  // Browsers leave mediaDevices out entirely on plain-HTTP pages.
  const media = (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
  if (typeof media?.getUserMedia !== 'function') return 'unsupported';
  return null;
}

function problemOf(error: unknown): ScanProblem {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'noCamera';
  if (name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}

/**
 * The back camera, read a few times a second until a QR code with a watch id shows up. Stops
 * the camera as soon as it has one, when cancelled, and when it leaves the screen.
 */
export function QrScanner({
  onDetected,
  onProblem,
  onCancel,
}: {
  readonly onDetected: (deviceId: string) => void;
  readonly onProblem: (problem: ScanProblem) => void;
  readonly onCancel: () => void;
}) {
  const { t } = useTranslation('bind');
  const videoRef = useRef<HTMLVideoElement>(null);
  const [isStarting, setIsStarting] = useState(true);
  const [hasForeignCode, setHasForeignCode] = useState(false);
  const callbacks = useRef({ onDetected, onProblem });
  callbacks.current = { onDetected, onProblem };

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = { isStopped: false };
    // A call, not a property read: TypeScript keeps a checked property narrowed across awaits.
    const isStopped = () => run.isStopped;
    const stop = () => {
      run.isStopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => {
        track.stop();
      });
    };
    const start = async () => {
      const problem = scanProblemOfBrowser();
      if (problem !== null) {
        callbacks.current.onProblem(problem);
        return;
      }
      const reader = await openQrReader();
      if (isStopped()) return;
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
      const video = videoRef.current;
      if (isStopped() || !video) {
        stop();
        return;
      }
      video.srcObject = stream;
      await video.play();
      setIsStarting(false);
      const scan = async () => {
        if (run.isStopped) return;
        const texts = video.readyState >= 2 ? await reader.read(video) : [];
        const { deviceId, hasForeignCode } = readingOf(texts);
        if (deviceId !== null) {
          stop();
          callbacks.current.onDetected(deviceId);
          return;
        }
        if (hasForeignCode) setHasForeignCode(true);
        // Stopped meanwhile: the next round returns at once.
        timer = setTimeout(() => void scan(), SCAN_INTERVAL_MS);
      };
      await scan();
    };
    start().catch((error: unknown) => {
      if (run.isStopped) return;
      stop();
      callbacks.current.onProblem(problemOf(error));
    });
    return stop;
  }, []);

  return (
    <div className="bind-scanner">
      <div className="bind-scanner__frame">
        <video
          ref={videoRef}
          className="bind-scanner__video"
          muted
          playsInline
          aria-label={t('scan.videoLabel')}
        />
        <div className="bind-scanner__target" aria-hidden="true" />
      </div>
      <p role="status" className="small">
        {isStarting ? t('scan.starting') : t('scan.pointAtCode')}
      </p>
      {hasForeignCode ? <Banner tone="warn">{t('scan.notAWatchCode')}</Banner> : null}
      <Button onClick={onCancel}>{t('scan.stop')}</Button>
    </div>
  );
}
