/** The demo workspace `npm start` seeds: two segments, a CSM and manager, an ops user, five accounts. */
export const demoSegments = [
  { key: 'tech-touch', name: 'Tech touch (SMB)', touchModel: 'tech' },
  { key: 'high-touch', name: 'High touch (Enterprise)', touchModel: 'high' },
] as const;

export const demoUsers = [
  { key: 'manager', name: 'Morgan Lee', email: 'morgan@cairn.local', role: 'cs_manager', manager: null },
  { key: 'csm', name: 'Casey Morgan', email: 'casey@cairn.local', role: 'csm', manager: 'manager' },
  { key: 'ops', name: 'Olivia Park', email: 'olivia@cairn.local', role: 'ops', manager: null },
] as const;

type Role = 'champion' | 'sponsor' | 'economic_buyer' | 'admin' | 'user';

/** Five customers across both segments; each has the CSM and a champion, a sponsor, and sometimes an admin. */
export const demoAccounts: Array<{ name: string; domain: string; segment: string; people: Array<{ name: string; role: Role }> }> = [
  { name: 'Acme Analytics', domain: 'acme-analytics.example', segment: 'high-touch', people: [{ name: 'Dana Whitfield', role: 'champion' }, { name: 'Raj Patel', role: 'sponsor' }, { name: 'Lena Ortiz', role: 'admin' }] },
  { name: 'Globex Retail', domain: 'globex-retail.example', segment: 'high-touch', people: [{ name: 'Sam Carter', role: 'champion' }, { name: 'Priya Nair', role: 'sponsor' }, { name: 'Tom Becker', role: 'admin' }] },
  { name: 'Initech', domain: 'initech.example', segment: 'tech-touch', people: [{ name: 'Bill Lumbergh', role: 'champion' }, { name: 'Joanna Kim', role: 'sponsor' }] },
  { name: 'Umbrella Health', domain: 'umbrella-health.example', segment: 'high-touch', people: [{ name: 'Alice Abernathy', role: 'champion' }, { name: 'Carlos Oliveira', role: 'sponsor' }, { name: 'Jill Valentine', role: 'admin' }] },
  { name: 'Stark Logistics', domain: 'stark-logistics.example', segment: 'tech-touch', people: [{ name: 'Pepper Potts', role: 'champion' }, { name: 'Happy Hogan', role: 'sponsor' }] },
];

/** `Dana Whitfield` at `acme-analytics.example` → `dana.whitfield@acme-analytics.example`. */
export function emailOf(name: string, domain: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}`;
}
