import type { DataSource } from 'typeorm';
import type { Mailer } from '../mail/mailer';

/** What the activities need from the outside world; tests pass real instances. */
export interface ActivityDeps {
  dataSource: DataSource;
  mailer: Mailer;
}
