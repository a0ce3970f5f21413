/**
 * Words of the product board and the segment card that keep the screen steady under the hand
 * (issue 15, point 4): a pin waiting for the room, its undo, an ordering held while the pointer is
 * on the board. Chinese first; merged into messages.ts.
 */
export const boardZh = {
  'board.pending': '待确认…',
  'board.pendingNote': '已发送讲解「{title}」，等待直播间确认',
  'board.pendingNone': '已发送取消讲解，等待直播间确认',
  'board.unconfirmed': '直播间没有确认讲解指令，请重试或在中控台操作',
  'board.undo': '撤销',
  'board.undoTo': '撤销，回到「{title}」',
  'board.undoToNone': '撤销（回到无讲解）',
  'board.switched': '已切到「{title}」',
  'board.undoing': '正在撤销，回到「{title}」…',
  'board.frozen': '鼠标在表上：排序暂停，移开后更新',
  'segment.pending': '已发送讲解「{title}」，直播间确认前下表仍是「{current}」',
  'segment.justStarted': '本段刚开始，数据马上到',
} as const;

export type BoardMessageKey = keyof typeof boardZh;

export const boardEn: Record<BoardMessageKey, string> = {
  'board.pending': 'Waiting…',
  'board.pendingNote': 'Pin of “{title}” sent; waiting for the room to confirm',
  'board.pendingNone': 'Unpin sent; waiting for the room to confirm',
  'board.unconfirmed': 'The room did not confirm the pin: try again, or pin it in the platform’s console',
  'board.undo': 'Undo',
  'board.undoTo': 'Undo, back to “{title}”',
  'board.undoToNone': 'Undo (back to nothing pinned)',
  'board.switched': 'Now explaining “{title}”',
  'board.undoing': 'Undoing, back to “{title}”…',
  'board.frozen': 'Pointer on the board: order held, it updates when the pointer leaves',
  'segment.pending': 'Pin of “{title}” sent; until the room confirms, this is still “{current}”',
  'segment.justStarted': 'The segment just began: figures follow shortly',
};
