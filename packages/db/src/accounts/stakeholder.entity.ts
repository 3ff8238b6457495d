import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
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
  @Column('text') email!: string;
  /** champion | sponsor | economic_buyer | admin | user */
  @Column('text') role!: string;
}
