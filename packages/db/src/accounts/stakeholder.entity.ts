import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AccountEntity } from './account.entity';

/** A person on the customer's side and their role in the account's people map. */
@Entity('stakeholders')
export class StakeholderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  // Named by string: the two entity modules would otherwise import each other.
  @ManyToOne('AccountEntity', 'stakeholders', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;
  @Column('text') name!: string;
  /** Lower case; one person per address and account (a unique index on lower(email)). */
  @Column('text') email!: string;
  /** champion | sponsor | economic_buyer | contract_holder | product_owner | program_leader | admin | user */
  @Column('text') role!: string;
  @Column('text', { nullable: true }) title!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  /** active | left: someone who left stays, out of the people map runs read. */
  @Column('text', { default: 'active' }) status!: string;
  /** The first a touch to this role goes to; at most one active primary per (account, role). */
  @Column('boolean', { name: 'is_primary', default: false }) isPrimary!: boolean;
  @Column('timestamptz', { name: 'left_at', nullable: true }) leftAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
