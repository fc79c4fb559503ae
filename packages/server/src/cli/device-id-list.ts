import { isDeviceId, type DeviceId } from '@kinwatch/core';

/** A device id that is not one, with where it came from for the error message. */
export interface InvalidDeviceId {
  /** `line 3` of a file, or `argument 2` of the command line. */
  readonly where: string;
  readonly text: string;
}

export interface DeviceIdList {
  readonly ids: DeviceId[];
  readonly invalid: InvalidDeviceId[];
}

/**
 * Reads a provisioning file: one device id per line; blank lines and `#` comments (whole line or
 * after the id) are skipped, spaces around an id are ignored. Every line that is not a device id
 * is reported with its line number, so the whole file can be fixed in one go.
 */
export function parseDeviceIdFile(text: string): DeviceIdList {
  const list: DeviceIdList = { ids: [], invalid: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    const id = line.replace(/#.*$/, '').trim();
    if (id === '') return;
    if (isDeviceId(id)) list.ids.push(id);
    else list.invalid.push({ where: `line ${index + 1}`, text: id });
  });
  return list;
}

/** Device ids given as command-line arguments, checked the same way. */
export function parseDeviceIdArguments(args: readonly string[]): DeviceIdList {
  const list: DeviceIdList = { ids: [], invalid: [] };
  args.forEach((arg, index) => {
    const id = arg.trim();
    if (isDeviceId(id)) list.ids.push(id);
    else list.invalid.push({ where: `argument ${index + 1}`, text: arg });
  });
  return list;
}
