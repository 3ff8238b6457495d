import advocacyExpansion from '../templates/advocacy-expansion.playbook.json';
import championLeft from '../templates/champion-left.playbook.json';
import lowUsageIntervention from '../templates/low-usage-intervention.playbook.json';
import onboarding306090 from '../templates/onboarding-30-60-90.playbook.json';
import onboardingKickoff from '../templates/onboarding-kickoff.playbook.json';
import qbrCadence from '../templates/qbr-cadence.playbook.json';
import renewal120 from '../templates/renewal-120.playbook.json';
import type { PlaybookDocumentInput } from './document';

/** Playbook templates shipped with Cairn, as `*.playbook.json` documents, by key. */
export const templates: Record<string, PlaybookDocumentInput> = {
  'onboarding-kickoff': onboardingKickoff as PlaybookDocumentInput,
  'onboarding-30-60-90': onboarding306090 as PlaybookDocumentInput,
  'low-usage-intervention': lowUsageIntervention as PlaybookDocumentInput,
  'champion-left': championLeft as PlaybookDocumentInput,
  'renewal-120': renewal120 as PlaybookDocumentInput,
  'qbr-cadence': qbrCadence as PlaybookDocumentInput,
  'advocacy-expansion': advocacyExpansion as PlaybookDocumentInput,
};
