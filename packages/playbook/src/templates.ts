import onboardingKickoff from '../templates/onboarding-kickoff.playbook.json';
import type { PlaybookDocumentInput } from './document';

/** Playbook templates shipped with Cairn, as `*.playbook.json` documents. */
export const templates: Record<string, PlaybookDocumentInput> = {
  'onboarding-kickoff': onboardingKickoff as PlaybookDocumentInput,
};
