import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { unique: true }) email!: string;
  /** csm | cs_manager | ops | admin | viewer */
  @Column('text') role!: string;
  @Column('uuid', { name: 'manager_id', nullable: true }) managerId!: string | null;
  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'manager_id' })
  manager?: UserEntity | null;
  /** argon2id; null: the user cannot sign in. Never selected unless asked for (UsersRepository.findForLogin). */
  @Column('text', { name: 'password_hash', nullable: true, select: false }) passwordHash?: string | null;
  /** A deactivated user cannot sign in, and their sessions end. */
  @Column('boolean', { default: true }) active!: boolean;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
