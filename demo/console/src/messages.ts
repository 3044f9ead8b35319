// Threads are kept in seq order; a message seen again (sync, history page) replaces its copy.
import type { kefu } from '@kefu/proto';

export function insertBySeq(list: kefu.v1.IMessage[], m: kefu.v1.IMessage): kefu.v1.IMessage[] {
  if (list.some((x) => x.id === m.id)) return list.map((x) => (x.id === m.id ? m : x));
  const seq = Number(m.seq);
  let i = list.length;
  while (i > 0 && Number(list[i - 1]?.seq) > seq) i -= 1;
  return [...list.slice(0, i), m, ...list.slice(i)];
}
