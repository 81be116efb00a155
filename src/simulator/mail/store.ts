import type { MailStore, StoredMessage } from '../context.js';

/**
 * The simulated Exchange Online mail store: one inbox per mailbox address (case-insensitive), UIDs
 * ascending per mailbox and never reused (nothing is expunged), and the list of what left the tenant.
 */
export function createMailStore(): MailStore {
  const boxes = new Map<string, StoredMessage[]>();
  const nextUid = new Map<string, number>();
  const out: { to: string; messageId: string; at: Date }[] = [];
  return {
    inbox(address) {
      // The live array: IMAP sessions read it and set flags on its messages.
      return boxes.get(address.toLowerCase()) ?? [];
    },
    deliver(address, msg) {
      const key = address.toLowerCase();
      const uid = nextUid.get(key) ?? 1;
      nextUid.set(key, uid + 1);
      const stored: StoredMessage = { ...msg, to: [...msg.to], uid, flags: [] };
      const box = boxes.get(key);
      if (box) box.push(stored);
      else boxes.set(key, [stored]);
      return stored;
    },
    external() {
      return out.map((e) => ({ ...e }));
    },
    recordExternal(to, messageId) {
      out.push({ to: to.toLowerCase(), messageId, at: new Date() });
    },
  };
}
