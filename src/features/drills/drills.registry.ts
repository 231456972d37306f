// The scam drills a tutor can send: real patterns against Indonesian online sellers and buyers.
// Each scenario's words (who it seems to come from, its messages, the button that falls for it,
// the right reaction and the debrief) are in src/i18n/locales/{id,en}/drills.json under
// scenarios.<key>; here is what the code needs: where it arrives and how many messages it has.
export type DrillArrival = 'chat' | 'notification';

export type DrillScenario = {
  key: string;
  /** chat: a message from a fake account in her chat; notification: a notice in the app. */
  arrives: DrillArrival;
  /** How many messages (message1, message2...) the scenario's locale entry has. */
  messages: number;
};

export const drillScenarios: readonly DrillScenario[] = [
  { key: 'otp-cs', arrives: 'chat', messages: 2 },
  { key: 'courier-apk', arrives: 'chat', messages: 2 },
  { key: 'fake-receipt', arrives: 'chat', messages: 2 },
  { key: 'pay-outside', arrives: 'chat', messages: 2 },
  { key: 'too-cheap', arrives: 'chat', messages: 2 },
  { key: 'fake-login', arrives: 'notification', messages: 1 },
  { key: 'prize-fee', arrives: 'chat', messages: 2 },
  { key: 'cod-unordered', arrives: 'notification', messages: 1 },
];

export const drillKeys = drillScenarios.map((s) => s.key) as [string, ...string[]];

export function scenarioOf(key: string): DrillScenario | undefined {
  return drillScenarios.find((s) => s.key === key);
}

/** Her reactions: all but "comply" spot the scam. */
export const drillReactions = ['report', 'block', 'refuse', 'ignore', 'comply'] as const;
export type DrillReaction = (typeof drillReactions)[number];
