import { temporalWorkflowUrl } from './temporal-link';

describe('temporalWorkflowUrl', () => {
  const id = 'cairn:playbook:onboarding:account:0000';
  it.each([
    [undefined, undefined, 'http://localhost:8233/namespaces/default/workflows/cairn%3Aplaybook%3Aonboarding%3Aaccount%3A0000'],
    ['https://temporal.example.com/', 'prod', 'https://temporal.example.com/namespaces/prod/workflows/cairn%3Aplaybook%3Aonboarding%3Aaccount%3A0000'],
    ['  ', ' ', 'http://localhost:8233/namespaces/default/workflows/cairn%3Aplaybook%3Aonboarding%3Aaccount%3A0000'],
  ])('base %j, namespace %j → %s', (base, ns, url) => expect(temporalWorkflowUrl(id, base, ns)).toBe(url));
});
