import { AccountEntity, AccountExternalIdEntity, AccountFieldEntity, AccountFieldsRepository, PlaybookEntity, PlaybookVersionEntity, SegmentEntity, StakeholdersRepository, UserEntity, UsersRepository } from '@cairn/db';
import { compilePlaybook, parsePlaybookDocument, templates } from '@cairn/playbook';
import { isDeepStrictEqual } from 'node:util';
import type { DataSource, EntityManager } from 'typeorm';
import { stakeholderDiff } from '@cairn/contracts';
import { hashPassword } from '../auth/passwords';
import { stakeholderFields } from '../people/people.mapper';
import { recomputeMembership } from '../segments/segment-membership';
import { DEMO_PASSWORD, demoAccounts, demoFields, type DemoPerson, type DemoProfile, demoSegments, demoUsers, emailOf } from './demo-workspace';

/** What one seed run did, per kind of row. */
export class SeedTally {
  private readonly counts = new Map<string, { created: number; updated: number; unchanged: number }>();

  note(kind: string, what: 'created' | 'updated' | 'unchanged'): void {
    const count = this.counts.get(kind) ?? { created: 0, updated: 0, unchanged: 0 };
    count[what]++;
    this.counts.set(kind, count);
  }

  get changed(): number {
    return [...this.counts.values()].reduce((n, c) => n + c.created + c.updated, 0);
  }

  toString(): string {
    const parts = [...this.counts].map(([kind, c]) => `${kind}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`);
    return `${parts.join('; ')}${this.changed === 0 ? ' (nothing to do)' : ''}`;
  }
}

/**
 * Finds a row by its natural key and makes its fields match `fields`: inserts it if missing,
 * updates only the fields that differ, and leaves it alone otherwise (so a second run writes nothing).
 */
async function upsert<E extends object>(
  em: EntityManager,
  entity: new () => E,
  where: Partial<E>,
  fields: Partial<E>,
  tally: SeedTally,
  kind: string,
): Promise<E> {
  const existing = (await em.findOneBy(entity, where as never)) as E | null;
  if (!existing) {
    tally.note(kind, 'created');
    return em.save(em.create(entity, { ...where, ...fields } as never) as E);
  }
  const changed = (Object.keys(fields) as Array<keyof E>).filter((key) => !isDeepStrictEqual(existing[key], fields[key]));
  if (changed.length === 0) {
    tally.note(kind, 'unchanged');
    return existing;
  }
  for (const key of changed) existing[key] = fields[key] as E[keyof E];
  tally.note(kind, 'updated');
  return em.save(existing);
}

/** The demo's custom account fields, created when missing; a field someone has since edited is left alone. */
async function seedFields(em: EntityManager, tally: SeedTally): Promise<void> {
  const fields = new AccountFieldsRepository(em);
  for (const f of demoFields) {
    if (await em.existsBy(AccountFieldEntity, { key: f.key })) {
      tally.note('account fields', 'unchanged');
      continue;
    }
    await em.save(em.create(AccountFieldEntity, { ...f, currency: null, required: false, builtIn: false, position: await fields.nextPosition() }));
    tally.note('account fields', 'created');
  }
}

async function seedSegments(em: EntityManager, tally: SeedTally): Promise<Map<string, SegmentEntity>> {
  const segments = new Map<string, SegmentEntity>();
  for (const s of demoSegments) {
    const fields = { name: s.name, description: s.description, touchModel: s.touchModel, priority: s.priority, rule: s.rule };
    segments.set(s.key, await upsert(em, SegmentEntity, { key: s.key }, fields, tally, 'segments'));
  }
  return segments;
}

/**
 * Users by email; a manager is seeded before the people who report to them. A demo user without a
 * password gets the demo password; one someone set (or changed) is left alone.
 */
async function seedUsers(em: EntityManager, tally: SeedTally): Promise<Map<string, UserEntity>> {
  const users = new Map<string, UserEntity>();
  let demoHash: string | undefined;
  for (const u of demoUsers) {
    const managerId = u.manager ? (users.get(u.manager)?.id ?? null) : null;
    const user = await upsert(em, UserEntity, { email: u.email }, { name: u.name, role: u.role, managerId }, tally, 'users');
    users.set(u.key, user);
    if (await new UsersRepository(em).hasPassword(user.id)) {
      tally.note('demo passwords', 'unchanged');
      continue;
    }
    demoHash ??= await hashPassword(DEMO_PASSWORD);
    await em.update(UserEntity, { id: user.id }, { passwordHash: demoHash });
    tally.note('demo passwords', 'created');
  }
  return users;
}

/** Accounts by domain, each with the CSM and its people map (stakeholders by account and email). */
async function seedAccounts(em: EntityManager, segments: Map<string, SegmentEntity>, csm: UserEntity, tally: SeedTally): Promise<void> {
  for (const a of demoAccounts) {
    const segment = segments.get(a.segment);
    if (!segment) throw new Error(`unknown segment ${a.segment}`);
    const account = await upsert(em, AccountEntity, { domain: a.domain }, { name: a.name, assignedSegmentId: segment.id, csmId: csm.id }, tally, 'accounts');
    await seedProfile(em, account, a.profile, tally);
    await seedExternalId(em, account.id, 'salesforce', a.salesforceId, tally);
    for (const person of a.people) await seedPerson(em, account.id, emailOf(person.name, a.domain), person, tally);
  }
}

/** Who the seed's changes to people maps are recorded as. */
const SEED_ACTOR = 'integration:demo_seed';

/**
 * Adds a demo person to the people map, with a `created` change, when nobody has that email in
 * the account; someone there already only gets the title and phone they lack (from before the
 * people map kept them), recorded as a change. Whatever people changed since (a role, a
 * departure, a deletion) stays as they left it.
 */
async function seedPerson(em: EntityManager, accountId: string, email: string, person: DemoPerson, tally: SeedTally): Promise<void> {
  const people = new StakeholdersRepository(em);
  const at = new Date();
  const existing = await people.findByEmail(accountId, email);
  if (!existing) {
    if (await people.wasDeleted(accountId, email)) {
      tally.note('stakeholders', 'unchanged');
      return;
    }
    const created = await people.insert({ accountId, name: person.name, email, role: person.role, title: person.title, phone: person.phone ?? null, isPrimary: false });
    await people.recordChange({ stakeholderId: created.id, accountId, kind: 'created', before: null, after: stakeholderFields(created), changedBy: SEED_ACTOR, reason: 'Demo workspace', at });
    tally.note('stakeholders', 'created');
    return;
  }
  const title = existing.title ?? person.title;
  const phone = existing.phone ?? person.phone ?? null;
  if (title === existing.title && phone === existing.phone) {
    tally.note('stakeholders', 'unchanged');
    return;
  }
  const before = stakeholderFields(existing);
  const updated = await people.update(existing.id, { title, phone });
  const diff = stakeholderDiff(before, stakeholderFields(updated));
  await people.recordChange({ stakeholderId: existing.id, accountId, kind: 'updated', before: diff.before, after: diff.after, changedBy: SEED_ACTOR, reason: 'Demo workspace: contact details', at });
  tally.note('stakeholders', 'updated');
}

/**
 * Gives an account its demo timezone, attributes and metrics while its profile is blank (just
 * created, or from before profiles existed). A profile someone changed since (PATCH, a CRM sync, a
 * playbook's update step) is theirs: the seed never writes over it.
 */
async function seedProfile(em: EntityManager, account: AccountEntity, profile: DemoProfile, tally: SeedTally): Promise<void> {
  const blank = (account.timezone ?? 'UTC') === 'UTC' && Object.keys(account.attributes ?? {}).length === 0 && Object.keys(account.metrics ?? {}).length === 0;
  if (!blank) {
    tally.note('account profiles', 'unchanged');
    return;
  }
  await em.update(AccountEntity, { id: account.id }, { timezone: profile.timezone, attributes: { ...profile.attributes }, metrics: { ...profile.metrics } });
  tally.note('account profiles', 'updated');
}

/** The account's id in a CRM, unless the account has one there already or the id names another account. */
async function seedExternalId(em: EntityManager, accountId: string, system: string, externalId: string, tally: SeedTally): Promise<void> {
  const taken = await em.existsBy(AccountExternalIdEntity, [{ accountId, system }, { system, externalId }]);
  if (taken) {
    tally.note('external ids', 'unchanged');
    return;
  }
  await em.insert(AccountExternalIdEntity, { accountId, system, externalId });
  tally.note('external ids', 'created');
}

/**
 * The onboarding template, created and published as version 1 when its key is missing. An
 * existing playbook is never touched: its draft and versions belong to whoever edited it since.
 */
async function seedOnboardingPlaybook(em: EntityManager, publishedBy: string, tally: SeedTally): Promise<void> {
  const parsed = parsePlaybookDocument(templates['onboarding-kickoff']);
  if (!parsed.ok) throw new Error('the onboarding template is invalid');
  const draft = parsed.document;
  if (await em.existsBy(PlaybookEntity, { key: draft.key })) {
    tally.note('playbooks', 'unchanged');
    return;
  }
  const compiled = compilePlaybook(draft);
  if (!compiled.ok) throw new Error(`the onboarding template does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const playbook = await em.save(em.create(PlaybookEntity, { key: draft.key, name: draft.name, description: draft.description, kind: draft.kind, draft }));
  await em.save(em.create(PlaybookVersionEntity, { playbookId: playbook.id, version: 1, hash: compiled.plan.hash, document: draft, plan: compiled.plan, publishedBy }));
  tally.note('playbooks', 'created');
}

function required<T>(map: Map<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`seed data has no ${key}`);
  return value;
}

/** Seeds the demo workspace in one transaction; idempotent (natural keys), so a second run changes nothing. */
export async function seedDemoWorkspace(dataSource: DataSource): Promise<string> {
  const tally = new SeedTally();
  await dataSource.transaction(async (em) => {
    await seedFields(em, tally);
    const segments = await seedSegments(em, tally);
    const users = await seedUsers(em, tally);
    await seedAccounts(em, segments, required(users, 'csm'), tally);
    await seedOnboardingPlaybook(em, required(users, 'ops').name, tally);
    const membership = await recomputeMembership(em, null);
    if (membership.entered || membership.exited) tally.note('segment memberships', 'updated');
    // The demo's starting memberships are not news: nothing to announce as events.
    await em.query(`UPDATE segment_memberships SET entered_notified = true, exited_notified = exited_at IS NOT NULL WHERE account_id IN (SELECT id FROM accounts WHERE domain = ANY($1))`, [
      demoAccounts.map((a) => a.domain),
    ]);
  });
  return tally.toString();
}
