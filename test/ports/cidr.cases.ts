/** The CIDR arithmetic the egress allow-list is judged with (construct validation and MCP-K8S-10). */
import { cidrContains, cidrReaches, parseCidr, parseIpAddress } from '../../lib/core/ports-defaults';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

describe('CIDR arithmetic', () => {
  test.each([
    ['10.0.0.0/8', 32, 8],
    ['0.0.0.0/0', 32, 0],
    ['203.0.113.7/32', 32, 32],
    ['::/0', 128, 0],
    ['fd00:ec2::254/128', 128, 128],
    ['::ffff:169.254.0.0/112', 128, 112],
  ])('parses %s', (text, bits, prefix) => {
    expect(parseCidr(text)).toMatchObject({ bits, prefix });
  });

  test.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0.300/8',
    '010.0.0.0/8',
    '::/129',
    'fd00:::1/64',
    '1:2:3:4:5:6:7:8:9/128',
    'x/8',
    '10.0.0.0/8/1',
  ])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  test('reads IPv6 with :: anywhere and an embedded IPv4 tail', () => {
    expect(parseIpAddress('::1')).toEqual({ bits: 128, address: 1n });
    expect(parseIpAddress('fd00:ec2::254')?.address).toBe(0xfd000ec2000000000000000000000254n);
    expect(parseIpAddress('::ffff:169.254.169.254')?.address).toBe(0xffffa9fea9fen);
    expect(parseIpAddress('1:2:3:4:5:6:7:8')?.address).toBe(0x00010002000300040005000600070008n);
  });

  test('containment: a network holds its subnets and addresses, never a wider one or the other family', () => {
    expect(cidrContains(cidr('169.254.0.0/16'), cidr('169.254.169.254/32'))).toBe(true);
    expect(cidrContains(cidr('169.254.0.0/16'), cidr('169.255.0.0/32'))).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrContains(cidr('fc00::/7'), cidr('fd00:ec2::254/128'))).toBe(true);
    expect(cidrContains(cidr('0.0.0.0/0'), cidr('::/128'))).toBe(false);
  });

  test('reach: what a CIDR still reaches after its excepts', () => {
    const all = cidr('0.0.0.0/0');
    const linkLocal = cidr('169.254.0.0/16');
    expect(cidrReaches(all, [], linkLocal)).toBe(true);
    expect(cidrReaches(all, [linkLocal], linkLocal)).toBe(false);
    // An except narrower than the range leaves the rest of it reachable.
    expect(cidrReaches(all, [cidr('169.254.169.254/32')], linkLocal)).toBe(true);
    // A CIDR inside the range reaches it unless an except covers the CIDR itself.
    expect(cidrReaches(cidr('169.254.169.0/24'), [], linkLocal)).toBe(true);
    expect(cidrReaches(cidr('169.254.169.0/24'), [cidr('169.254.169.0/24')], linkLocal)).toBe(false);
    // Disjoint networks never reach each other.
    expect(cidrReaches(cidr('203.0.113.0/24'), [], linkLocal)).toBe(false);
    // Two excepts that only together cover the range count as not covering it (when in doubt, reachable).
    expect(cidrReaches(all, [cidr('169.254.0.0/17'), cidr('169.254.128.0/17')], linkLocal)).toBe(true);
  });
});
