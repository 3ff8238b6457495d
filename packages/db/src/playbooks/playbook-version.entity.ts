import type { ExecutablePlan, PlaybookDocument } from '@cairn/playbook';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PlaybookEntity } from './playbook.entity';

/** An immutable published version: the document as published and the plan compiled from it. */
@Entity('playbook_versions')
@Index(['playbookId', 'version'], { unique: true })
export class PlaybookVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'playbook_id' }) playbookId!: string;
  @ManyToOne(() => PlaybookEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'playbook_id' })
  playbook?: PlaybookEntity;
  @Column('int') version!: number;
  @Column('text') hash!: string;
  @Column('jsonb') document!: PlaybookDocument;
  @Column('jsonb') plan!: ExecutablePlan;
  @Column('text', { name: 'published_by', nullable: true }) publishedBy!: string | null;
  /** What changed and why, in the publisher's words. */
  @Column('text', { default: '' }) note!: string;
  @CreateDateColumn({ name: 'published_at', type: 'timestamptz' }) publishedAt!: Date;
}
