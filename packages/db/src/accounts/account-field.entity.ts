import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One attribute of the workspace's account schema: its key, label and type (see @cairn/contracts' account-fields). */
@Entity('account_fields')
export class AccountFieldEntity {
  @PrimaryColumn('text') key!: string;
  @Column('text') label!: string;
  @Column('text', { default: '' }) description!: string;
  /** string | number | boolean | date | enum | currency */
  @Column('text') type!: string;
  /** An enum's options, in order; empty for other types. */
  @Column('text', { array: true, default: () => "'{}'" }) options!: string[];
  /** A currency field's ISO 4217 code. */
  @Column('text', { nullable: true }) currency!: string | null;
  @Column('boolean', { default: false }) required!: boolean;
  @Column('boolean', { name: 'built_in', default: false }) builtIn!: boolean;
  @Column('int') position!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
