import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An account's time in a segment: when and why it entered and left, and whether each was announced. */
@Entity('segment_memberships')
export class SegmentMembershipEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'segment_id' }) segmentId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('timestamptz', { name: 'entered_at' }) enteredAt!: Date;
  @Column('text', { name: 'entered_reason' }) enteredReason!: string;
  @Column('boolean', { name: 'entered_notified', default: false }) enteredNotified!: boolean;
  @Column('timestamptz', { name: 'exited_at', nullable: true }) exitedAt!: Date | null;
  @Column('text', { name: 'exited_reason', nullable: true }) exitedReason!: string | null;
  @Column('boolean', { name: 'exited_notified', default: false }) exitedNotified!: boolean;
}
