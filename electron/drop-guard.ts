/**
 * Files or links dragged onto the kiosk page are refused in the page itself (the window already
 * does not navigate on a drop: `navigateOnDragDrop: false`). Installed by the preload; DOM events
 * reach listeners of the isolated world, so the page needs no code for it.
 */
export interface DropTarget {
  addEventListener(type: 'dragover' | 'drop', listener: (event: DragLike) => void, capture: boolean): void;
}

export interface DragLike {
  readonly dataTransfer: { readonly types: ArrayLike<string> } | null;
  preventDefault(): void;
  stopPropagation(): void;
}

/** Whether a drag carries something from outside the page (files, URLs). */
export function isExternalDrag(event: DragLike): boolean {
  const types = Array.from(event.dataTransfer?.types ?? []);
  return types.includes('Files') || types.includes('text/uri-list');
}

export function installDropGuard(target: DropTarget): void {
  const refuse = (event: DragLike) => {
    if (!isExternalDrag(event)) return;
    event.preventDefault();
    event.stopPropagation();
  };
  target.addEventListener('dragover', refuse, true);
  target.addEventListener('drop', refuse, true);
}
