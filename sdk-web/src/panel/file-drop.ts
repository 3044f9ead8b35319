// Files onto the panel: pasted (Ctrl+V of a screenshot) or dragged and dropped. Images go as images
// (downscaled), anything else as a file for the server to judge.
import { useRef, useState } from 'preact/hooks';
import type { Chat } from './chat.js';

/** Sends each file the way its type asks. */
export function sendFiles(chat: Chat, files: Iterable<File>): void {
  for (const f of files) {
    if (f.type.startsWith('image/')) void chat.sendImage(f);
    else void chat.sendFile(f, f.name, f.size);
  }
}

const hasFiles = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');

export interface FileDrop {
  /** A file is being dragged over the panel (show the drop hint). */
  dragging: boolean;
  handlers: {
    onDragEnter: (e: DragEvent) => void;
    onDragOver: (e: DragEvent) => void;
    onDragLeave: (e: DragEvent) => void;
    onDrop: (e: DragEvent) => void;
    onPaste: (e: ClipboardEvent) => void;
  };
}

/** Drop and paste handlers for the panel; inactive (the browser's own behaviour) when `enabled` is false. */
export function useFileDrop(chat: Chat, enabled: boolean): FileDrop {
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them.
  const depth = useRef(0);
  return {
    dragging: dragging && enabled,
    handlers: {
      onDragEnter: (e) => {
        if (!enabled || !hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setDragging(true);
      },
      onDragOver: (e) => {
        if (!enabled || !hasFiles(e)) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: () => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      },
      onDrop: (e) => {
        depth.current = 0;
        setDragging(false);
        if (!enabled || !e.dataTransfer?.files.length) return;
        e.preventDefault();
        sendFiles(chat, e.dataTransfer.files);
      },
      onPaste: (e) => {
        const files = e.clipboardData?.files;
        if (!enabled || !files?.length) return;
        e.preventDefault();
        sendFiles(chat, files);
      },
    },
  };
}
