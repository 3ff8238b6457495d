import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One entry of the audit log (append-only: a trigger refuses UPDATE and DELETE). */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** When it was written (clock time, so entries of one transaction keep their order). */
  @Column('timestamptz', { default: () => 'clock_timestamp()' }) at!: Date;
  /** user | token | system */
  @Column('text', { name: 'actor_type' }) actorType!: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'actor_name' }) actorName!: string;
  /** `<entity>.<verb>`: approval.decided, playbook.published, auth.login_failed… */
  @Column('text') action!: string;
  @Column('text', { name: 'entity_type' }) entityType!: string;
  @Column('text', { name: 'entity_id', nullable: true }) entityId!: string | null;
  @Column('text') summary!: string;
  @Column('jsonb', { nullable: true }) changes!: { before?: unknown; after?: unknown } | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
}
