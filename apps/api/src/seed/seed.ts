import { AccountEntity, PlaybookEntity, PlaybookVersionEntity, SegmentEntity, StakeholderEntity, UserEntity } from '@cairn/db';
import { compilePlaybook, parsePlaybookDocument, templates } from '@cairn/playbook';
import type { DataSource, EntityManager } from 'typeorm';
import { demoAccounts, demoSegments, demoUsers, emailOf } from './demo-workspace';

async function seedSegments(em: EntityManager): Promise<Map<string, SegmentEntity>> {
  const segments = new Map<string, SegmentEntity>();
  for (const s of demoSegments) {
    const existing = await em.findOneBy(SegmentEntity, { key: s.key });
    segments.set(s.key, existing ?? (await em.save(em.create(SegmentEntity, { key: s.key, name: s.name, touchModel: s.touchModel }))));
  }
  return segments;
}

async function seedUsers(em: EntityManager): Promise<Map<string, UserEntity>> {
  const users = new Map<string, UserEntity>();
  for (const u of demoUsers) {
    const existing = await em.findOneBy(UserEntity, { email: u.email });
    const managerId = u.manager ? (users.get(u.manager)?.id ?? null) : null;
    users.set(u.key, existing ?? (await em.save(em.create(UserEntity, { name: u.name, email: u.email, role: u.role, managerId }))));
  }
  return users;
}

async function seedAccounts(em: EntityManager, segments: Map<string, SegmentEntity>, csm: UserEntity): Promise<number> {
  let created = 0;
  for (const a of demoAccounts) {
    if (await em.existsBy(AccountEntity, { domain: a.domain })) continue;
    const segment = segments.get(a.segment);
    if (!segment) throw new Error(`unknown segment ${a.segment}`);
    const account = await em.save(em.create(AccountEntity, { name: a.name, domain: a.domain, segmentId: segment.id, csmId: csm.id }));
    await em.save(a.people.map((p) => em.create(StakeholderEntity, { accountId: account.id, name: p.name, email: emailOf(p.name, a.domain), role: p.role })));
    created++;
  }
  return created;
}

async function seedOnboardingPlaybook(em: EntityManager, publishedBy: string): Promise<boolean> {
  const parsed = parsePlaybookDocument(templates['onboarding-kickoff']);
  if (!parsed.ok) throw new Error('the onboarding template is invalid');
  const draft = parsed.document;
  if (await em.existsBy(PlaybookEntity, { key: draft.key })) return false;
  const compiled = compilePlaybook(draft);
  if (!compiled.ok) throw new Error('the onboarding template does not compile');
  const playbook = await em.save(em.create(PlaybookEntity, { key: draft.key, name: draft.name, description: draft.description, kind: draft.kind, draft }));
  await em.save(em.create(PlaybookVersionEntity, { playbookId: playbook.id, version: 1, hash: compiled.plan.hash, document: draft, plan: compiled.plan, publishedBy }));
  return true;
}

/** Seeds the demo workspace; idempotent (natural keys), so a second run changes nothing. */
export async function seedDemoWorkspace(dataSource: DataSource): Promise<string> {
  return dataSource.transaction(async (em) => {
    const segments = await seedSegments(em);
    const users = await seedUsers(em);
    const csm = users.get('csm') as UserEntity;
    const accounts = await seedAccounts(em, segments, csm);
    const playbook = await seedOnboardingPlaybook(em, (users.get('ops') as UserEntity).name);
    return `${segments.size} segments, ${users.size} users, ${accounts} new accounts (of ${demoAccounts.length}), onboarding playbook ${playbook ? 'published as v1' : 'already present'}`;
  });
}
