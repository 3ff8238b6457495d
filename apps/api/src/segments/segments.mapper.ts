import type { Segment } from '@cairn/contracts';
import type { SegmentEntity } from '@cairn/db';
import { isoOrNull } from '../common/dates';

export function toSegment(entity: SegmentEntity, memberCount: number): Segment {
  return {
    id: entity.id,
    key: entity.key,
    name: entity.name,
    description: entity.description,
    touchModel: entity.touchModel as Segment['touchModel'],
    priority: entity.priority,
    kind: entity.rule ? 'rule' : 'manual',
    rule: entity.rule,
    memberCount,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    archivedAt: isoOrNull(entity.archivedAt),
  };
}
