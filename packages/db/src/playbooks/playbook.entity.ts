import type { PlaybookDocument } from '@cairn/playbook';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('playbooks')
export class PlaybookEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) key!: string;
  @Column('text') name!: string;
  @Column('text', { default: '' }) description!: string;
  @Column('text') kind!: string;
  /** The editable draft; only published versions run. */
  @Column('jsonb') draft!: PlaybookDocument;
  /** Raised by every draft save: an editor saving over a newer draft is refused. */
  @Column('int', { name: 'draft_revision', default: 1 }) draftRevision!: number;
  /** Archived: no new enrollments and no triggers; runs in flight finish. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
