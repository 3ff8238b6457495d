import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { AccountEntity } from './account.entity';

/**
 * An account's id in another system (`salesforce` → `001…`). The key (system, external_id) makes
 * an id name one account, so an import finds the account a row means with one lookup.
 */
@Entity('account_external_ids')
export class AccountExternalIdEntity {
  @PrimaryColumn('text') system!: string;
  @PrimaryColumn('text', { name: 'external_id' }) externalId!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  // Named by string: the two entity modules would otherwise import each other.
  @ManyToOne('AccountEntity', 'externalIds', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
