import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Something that happened to an account (product usage, CRM change, support), as Cairn received it. */
@Entity('account_events')
@Index(['accountId', 'occurredAt'])
export class AccountEventEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') type!: string;
  @Column('jsonb', { default: {} }) data!: Record<string, unknown>;
  /** api | track (Segment-style) | cairn (emitted by Cairn itself) */
  @Column('text', { default: 'api' }) source!: string;
  /** The sender's key: the same event sent twice is stored once. */
  @Column('text', { name: 'idempotency_key', unique: true, nullable: true }) idempotencyKey!: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt!: Date;
}
