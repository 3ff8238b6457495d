import type { Condition } from '@cairn/playbook';

/** The demo workspace `npm start` seeds: two manual segments and a rule one, one user per role, five accounts. */
export const demoSegments: Array<{ key: string; name: string; description: string; touchModel: 'tech' | 'low' | 'mid' | 'high'; priority: number; rule: Condition | null }> = [
  { key: 'tech-touch', name: 'Tech touch (SMB)', description: 'Digital-first coverage: automated touches, a pooled CSM team.', touchModel: 'tech', priority: 100, rule: null },
  { key: 'high-touch', name: 'High touch (Enterprise)', description: 'A named CSM, QBRs and executive sponsorship.', touchModel: 'high', priority: 100, rule: null },
  {
    key: 'renewing-soon',
    name: 'Renewing within 120 days',
    description: 'Every account whose renewal date is in the next 120 days: the renewal playbooks start on entry.',
    touchModel: 'high',
    // Above the manual segments' 100: a list to act on, not a change of the account's own segment.
    priority: 200,
    rule: { field: 'account.renewal_date', op: 'within_next', value: 120 },
  },
];

/** Custom account fields the shipped templates write (`update_account`): publish checks writes against the field schema. */
export const demoFields: Array<{ key: string; label: string; description: string; type: 'enum'; options: string[] }> = [
  { key: 'champion_status', label: 'Champion status', description: 'Whether the people map has a champion (set by the Champion left playbook)', type: 'enum', options: ['mapped', 'vacant'] },
  { key: 'last_qbr_status', label: 'Last QBR', description: 'How the last quarterly business review went (set by the QBR cadence)', type: 'enum', options: ['held', 'missed'] },
];

export const demoUsers = [
  { key: 'manager', name: 'Morgan Lee', email: 'morgan@cairn.local', role: 'cs_manager', manager: null },
  { key: 'csm', name: 'Casey Morgan', email: 'casey@cairn.local', role: 'csm', manager: 'manager' },
  { key: 'ops', name: 'Olivia Park', email: 'olivia@cairn.local', role: 'ops', manager: null },
  { key: 'admin', name: 'Ada Quinn', email: 'ada@cairn.local', role: 'admin', manager: null },
  { key: 'viewer', name: 'Vic Hale', email: 'vic@cairn.local', role: 'viewer', manager: null },
] as const;

/**
 * The demo users' password (every one of them), for the local demo only: the seed sets it on a
 * demo user who has none, and never changes a password someone set. Production users are made
 * with `node apps/api/dist/cli.js create-user`.
 */
export const DEMO_PASSWORD = 'cairn-demo-password';

type Role = 'champion' | 'sponsor' | 'economic_buyer' | 'contract_holder' | 'product_owner' | 'program_leader' | 'admin' | 'user';

/** Someone in a demo account's people map. */
export interface DemoPerson {
  name: string;
  role: Role;
  title: string;
  phone?: string;
}

type Scalar = string | number | boolean | null;

/** What conditions read about an account: `account.<attribute>`, `metric.<name>`, dates in its timezone. */
export interface DemoProfile {
  timezone: string;
  attributes: Record<string, Scalar> & { plan: string; arr: number; seats: number; region: string; start_date: string; renewal_date: string; lifecycle_stage: string };
  metrics: { weekly_active_users: number; seats_active: number; nps: number };
}

/**
 * Five customers across both segments, each known to the CRM by its Salesforce id; each has the CSM, a people map (a champion, a sponsor, an
 * economic buyer and an admin, with their titles; more at the enterprises), and a profile: an enterprise renewing this winter, a retailer mid-onboarding, a small
 * customer slipping (low usage, detractor NPS), a healthy healthcare account, and a new logo.
 */
export const demoAccounts: Array<{ name: string; domain: string; salesforceId: string; segment: string; people: DemoPerson[]; profile: DemoProfile }> = [
  {
    name: 'Acme Analytics',
    domain: 'acme-analytics.example',
    salesforceId: '0018c00002AcmeAAA',
    segment: 'high-touch',
    people: [
      { name: 'Dana Whitfield', role: 'champion', title: 'Director of Revenue Operations', phone: '+1 212 555 0142' },
      { name: 'Raj Patel', role: 'sponsor', title: 'VP of Sales', phone: '+1 212 555 0108' },
      { name: 'Margaret Chen', role: 'economic_buyer', title: 'Chief Financial Officer' },
      { name: 'Lena Ortiz', role: 'admin', title: 'Salesforce Administrator' },
      { name: 'Owen Brooks', role: 'product_owner', title: 'Analytics Product Manager' },
    ],
    profile: {
      timezone: 'America/New_York',
      attributes: { plan: 'enterprise', arr: 186_000, seats: 250, region: 'na-east', start_date: '2025-03-01', renewal_date: '2027-03-01', lifecycle_stage: 'adopting' },
      metrics: { weekly_active_users: 212, seats_active: 231, nps: 42 },
    },
  },
  {
    name: 'Globex Retail',
    domain: 'globex-retail.example',
    salesforceId: '0018c00002GlbxAAA',
    segment: 'high-touch',
    people: [
      { name: 'Sam Carter', role: 'champion', title: 'Head of E-commerce Analytics', phone: '+49 30 5550 1234' },
      { name: 'Priya Nair', role: 'sponsor', title: 'Chief Digital Officer' },
      { name: 'Jonas Weber', role: 'economic_buyer', title: 'VP of Finance' },
      { name: 'Tom Becker', role: 'admin', title: 'IT Systems Lead' },
      { name: 'Miriam Hoffmann', role: 'program_leader', title: 'Rollout Program Manager' },
    ],
    profile: {
      timezone: 'Europe/Berlin',
      attributes: { plan: 'enterprise', arr: 142_500, seats: 400, region: 'emea', start_date: '2026-09-15', renewal_date: '2027-09-15', lifecycle_stage: 'onboarding' },
      metrics: { weekly_active_users: 96, seats_active: 138, nps: 31 },
    },
  },
  {
    name: 'Initech',
    domain: 'initech.example',
    salesforceId: '0018c00002InitAAA',
    segment: 'tech-touch',
    people: [
      { name: 'Bill Lumbergh', role: 'champion', title: 'Division VP', phone: '+1 312 555 0187' },
      { name: 'Joanna Kim', role: 'sponsor', title: 'COO' },
      { name: 'Bob Porter', role: 'economic_buyer', title: 'Finance Director' },
      { name: 'Milton Waddams', role: 'admin', title: 'Operations Coordinator' },
    ],
    profile: {
      timezone: 'America/Chicago',
      attributes: { plan: 'growth', arr: 18_000, seats: 40, region: 'na-central', start_date: '2025-01-20', renewal_date: '2027-01-20', lifecycle_stage: 'at_risk' },
      metrics: { weekly_active_users: 9, seats_active: 14, nps: -12 },
    },
  },
  {
    name: 'Umbrella Health',
    domain: 'umbrella-health.example',
    salesforceId: '0018c00002UmbrAAA',
    segment: 'high-touch',
    people: [
      { name: 'Alice Abernathy', role: 'champion', title: 'Director of Clinical Informatics', phone: '+44 20 7946 0321' },
      { name: 'Carlos Oliveira', role: 'sponsor', title: 'Chief Medical Information Officer' },
      { name: 'Albert Wesker', role: 'economic_buyer', title: 'Chief Financial Officer' },
      { name: 'Jill Valentine', role: 'admin', title: 'Systems Administrator' },
      { name: 'Rebecca Chambers', role: 'contract_holder', title: 'Procurement Manager' },
    ],
    profile: {
      timezone: 'Europe/London',
      attributes: { plan: 'enterprise', arr: 310_000, seats: 600, region: 'emea', start_date: '2024-06-01', renewal_date: '2027-06-01', lifecycle_stage: 'expanding' },
      metrics: { weekly_active_users: 547, seats_active: 588, nps: 64 },
    },
  },
  {
    name: 'Stark Logistics',
    domain: 'stark-logistics.example',
    salesforceId: '0018c00002StrkAAA',
    segment: 'tech-touch',
    people: [
      { name: 'Pepper Potts', role: 'champion', title: 'Head of Operations', phone: '+65 6555 0199' },
      { name: 'Happy Hogan', role: 'sponsor', title: 'Managing Director' },
      { name: 'Natasha Romanoff', role: 'economic_buyer', title: 'Finance Manager' },
      { name: 'Peter Parker', role: 'admin', title: 'IT Administrator' },
    ],
    profile: {
      timezone: 'Asia/Singapore',
      attributes: { plan: 'starter', arr: 7_200, seats: 15, region: 'apac', start_date: '2026-11-02', renewal_date: '2027-11-02', lifecycle_stage: 'onboarding' },
      metrics: { weekly_active_users: 6, seats_active: 7, nps: 20 },
    },
  },
];

/** `Dana Whitfield` at `acme-analytics.example` → `dana.whitfield@acme-analytics.example`. */
export function emailOf(name: string, domain: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}`;
}
