import { useEffect, useState } from 'preact/hooks';
import type { Chat, ChatState } from './chat.js';

/** The chat's state, re-rendering on every change. */
export function useChat(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useEffect(() => chat.subscribe(setState), [chat]);
  return state;
}
