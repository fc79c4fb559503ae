const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;
const IPV6_GROUPS = 8;
/** Groups of the /64 prefix: one customer's network, whatever address it picks inside. */
const PREFIX_GROUPS = 4;

/**
 * The part of a client's IP address that a per-address limit counts: an IPv4 address as is
 * (also when written IPv4-mapped, `::ffff:203.0.113.7`), an IPv6 address as its /64 prefix
 * (`2001:db8:0:1::/64`), because one subscriber gets a whole /64 and can use a fresh address
 * for every request. Text that is no IP address comes back trimmed and lower-cased, so that it
 * still counts against itself.
 */
export function addressLimitKey(address: string): string {
  const text = address.trim().toLowerCase();
  if (IPV4.test(text)) return text;
  const groups = ipv6Groups(text);
  if (groups === undefined) return text;
  if (isIpv4Mapped(groups)) {
    const [high = 0, low = 0] = groups.slice(6).map((group) => Number.parseInt(group, 16));
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  const prefix = groups.slice(0, PREFIX_GROUPS).map((group) => Number.parseInt(group, 16));
  return `${prefix.map((group) => group.toString(16)).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(text: string): string[] | undefined {
  const zoneless = text.split('%')[0] ?? '';
  if (!zoneless.includes(':')) return undefined;
  const halves = zoneless.split('::');
  if (halves.length > 2) return undefined;
  const head = splitGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? splitGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = IPV6_GROUPS - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tail];
}

/** Hextets separated by colons; a dotted IPv4 at the end counts as two. */
function splitGroups(text: string): string[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const last = parts.at(-1) ?? '';
  const ipv4 = IPV4.exec(last);
  if (ipv4 !== null) {
    const bytes = ipv4.slice(1).map(Number);
    if (bytes.some((byte) => byte > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    parts.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  return parts.every((part) => HEXTET.test(part)) ? parts : undefined;
}

function isIpv4Mapped(groups: readonly string[]): boolean {
  return (
    groups.slice(0, 5).every((group) => Number.parseInt(group, 16) === 0) &&
    Number.parseInt(groups[5] ?? '', 16) === 0xffff
  );
}
