import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One message in the thread of an approval or a task (said on its own, or with a decision, reassignment, snooze…). */
@Entity('work_item_comments')
@Index(['itemKind', 'itemId', 'createdAt', 'id'])
export class WorkItemCommentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** approval | task */
  @Column('text', { name: 'item_kind' }) itemKind!: string;
  @Column('uuid', { name: 'item_id' }) itemId!: string;
  /** comment | decision | completion | reassign | snooze */
  @Column('text', { default: 'comment' }) kind!: string;
  @Column('uuid', { name: 'author_id' }) authorId!: string;
  @Column('text') body!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
